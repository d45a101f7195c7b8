using System.Net;
using System.Text.Json;
using Threadline.Server.Security;

namespace Threadline.Server.Tests.Security;

/// <summary>
/// With authentication on, <c>/api/spans</c> takes the ingest token as the Lumigo tracers send it, the whole
/// <c>Authorization</c> value; the tracers accept only <c>t_</c> + lowercase letters and digits, which
/// <c>create-token --lumigo</c> makes.
/// </summary>
[Collection(SecuredServerCollection.Name)]
public sealed class LumigoTokenTests(SecuredServer fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_lumigo_form_of_an_ingest_token_is_accepted_as_the_whole_authorization_value()
    {
        var token = fixture.Auth.CreateToken("lumigo-" + Guid.NewGuid().ToString("n")[..8], TokenKind.Ingest, lumigoFormat: true);
        Assert.Matches("^t_[a-z0-9]{15,100}$", token);

        using var response = await PostAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("acceptedSpans").GetInt32());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("t_0123456789abcdef0123")]
    public async Task Without_a_known_token_nothing_is_read(string? token)
    {
        using var response = await PostAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(16, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public void Only_ingest_tokens_have_the_lumigo_form() =>
        Assert.Throws<AuthStoreException>(() => fixture.Auth.CreateToken("lumigo-api", TokenKind.Api, lumigoFormat: true));

    private async Task<HttpResponseMessage> PostAsync(string? token)
    {
        using var http = new HttpClient { BaseAddress = fixture.OtlpHttpAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/spans")
        {
            Content = new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", "lumigo-edge-2.json"))),
        };
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", token);
        return await http.SendAsync(request, Ct);
    }
}
