using Microsoft.Extensions.DependencyInjection;
using Threadline.Web.Data;

namespace Threadline.Web.Tests.Model;

public sealed class AnalysisReaderTests
{
    [Fact]
    public void Without_the_analysis_module_the_reader_says_it_is_not_enabled()
    {
        using var services = new ServiceCollection().BuildServiceProvider();

        var reader = new AnalysisReader(services);

        Assert.False(reader.Enabled);
        Assert.Contains("not enabled", Assert.Throws<InvalidOperationException>(() => reader.Queries).Message, StringComparison.Ordinal);
    }
}
