using Threadline.Server.Derivation;

namespace Threadline.Server.Tests;

public class DerivationResponseTests
{
    private sealed class FixedPart(string name, string state, long done, long? total) : IDerivationProgress
    {
        public string Part => name;

        public DerivationPartResponse Current => new(name, state, done, total);
    }

    [Theory]
    [InlineData("done,idle,idle", "deriving")]
    [InlineData("done,done,idle", "deriving")]
    [InlineData("done,deriving,idle", "deriving")]
    [InlineData("done,done,done", "done")]
    [InlineData("idle,idle,idle", "idle")]
    [InlineData("done,failed,idle", "failed")]
    [InlineData("deriving,done,failed", "failed")]
    public void The_whole_is_done_only_when_every_part_is(string states, string expected)
    {
        var parts = states.Split(',').Select((s, i) => new FixedPart($"part{i}", s, 10 * i, 100)).ToList();
        var response = DerivationResponse.Of(parts);
        Assert.Equal(expected, response.State);
        Assert.Equal(30, response.SpansDone);
        Assert.Equal(300, response.SpansTotal);
    }

    [Fact]
    public void The_total_is_unknown_when_any_part_does_not_know_its_own()
    {
        var response = DerivationResponse.Of([new FixedPart("stitching", "deriving", 5, 100), new FixedPart("search", "deriving", 3, null)]);
        Assert.Null(response.SpansTotal);
        Assert.Equal(8, response.SpansDone);
    }
}
