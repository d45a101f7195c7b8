using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class PayloadTests
{
    [Fact]
    public void Json_is_indented_and_markup_inside_it_stays_as_written()
    {
        var text = Payload.Text("{\"body\":\"<script>alert(1)</script>\",\"n\":1}");

        Assert.Equal("{\n  \"body\": \"<script>alert(1)</script>\",\n  \"n\": 1\n}", text?.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Anything_else_is_shown_as_recorded()
    {
        Assert.Equal("<b>not json", Payload.Text("<b>not json"));
        Assert.Equal("42", Payload.Text(42L));
        Assert.Null(Payload.Text(null));
    }
}
