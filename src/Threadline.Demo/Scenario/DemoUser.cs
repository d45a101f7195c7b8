namespace Threadline.Demo.Scenario;

/// <summary>A shop customer: id, e-mail locale, and whether they are a VIP.</summary>
public sealed record DemoUser(string Id, string Locale, bool Vip)
{
    public string Email => $"{Id}@example.com";

    private static readonly string[] Locales = ["en", "de", "fr", "es"];

    /// <summary>The same users for the same random sequence; about one in five is a VIP.</summary>
    public static IReadOnlyList<DemoUser> Create(Random random, int count) =>
        [.. Enumerable.Range(1, count).Select(i => new DemoUser($"u-{i:D4}", Locales[random.Next(Locales.Length)], random.Next(5) == 0))];
}
