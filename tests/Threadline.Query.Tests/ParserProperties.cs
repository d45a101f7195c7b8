using FsCheck;
using FsCheck.Fluent;
using Threadline.Query.Parsing;
using Threadline.Query.Printing;
using Threadline.Query.Syntax;

namespace Threadline.Query.Tests;

/// <summary>
/// Printing then parsing gives the tree back for random trees; random garbage and random edits of valid queries
/// either parse to a tree whose canonical text parses to the same tree, or fail with a <see cref="QueryParseException"/>
/// positioned inside the text. Any other exception fails the property.
/// </summary>
public sealed class ParserProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(1000).WithEndSize(60);

    [Fact]
    public void PrintingThenParsingGivesTheTreeBack()
    {
        var property = Prop.ForAll(RandomQueries.QueryOrEmpty.ToArbitrary(), query =>
        {
            var text = QueryPrinter.Print(query);
            var parsed = Parse(text);
            Assert.True(query.Equals(parsed), $"printed as {text}\nparsed as {QueryPrinter.Print(parsed)}");
        });
        Check.One(Runs, property);
    }

    [Fact]
    public void GarbageParsesOrFailsWithAPositionedParseError()
    {
        var outcomes = new Outcomes();
        Check.One(Runs, Prop.ForAll(RandomQueries.Garbage.ToArbitrary(), text => ParsesCanonicallyOrFailsInside(text, outcomes)));
        outcomes.AssertBothSeen();
    }

    [Fact]
    public void EditedValidQueriesParseOrFailWithAPositionedParseError()
    {
        var outcomes = new Outcomes();
        Check.One(Runs, Prop.ForAll(RandomQueries.Mutated.ToArbitrary(), text => ParsesCanonicallyOrFailsInside(text, outcomes)));
        outcomes.AssertBothSeen();
    }

    private static void ParsesCanonicallyOrFailsInside(string text, Outcomes outcomes)
    {
        QueryNode query;
        try
        {
            query = QueryParser.Parse(text);
        }
        catch (QueryParseException error)
        {
            Assert.InRange(error.Offset, 0, text.Length);
            Assert.Equal(error.Offset + 1, error.Position);
            Assert.StartsWith($"position {error.Position}: ", error.Message, StringComparison.Ordinal);
            outcomes.Failed++;
            return;
        }
        var canonical = QueryPrinter.Print(query);
        Assert.True(query.Equals(Parse(canonical)), $"{text}\nprinted as {canonical}");
        Assert.Equal(canonical, QueryPrinter.Print(Parse(canonical)));
        outcomes.Parsed++;
    }

    /// <summary>Both outcomes must occur in a run, or the generator tests only one path.</summary>
    private sealed class Outcomes
    {
        public int Parsed { get; set; }

        public int Failed { get; set; }

        public void AssertBothSeen()
        {
            Assert.True(Parsed >= 50, $"only {Parsed} inputs parsed");
            Assert.True(Failed >= 50, $"only {Failed} inputs failed");
        }
    }

    private static QueryNode Parse(string text)
    {
        try
        {
            return QueryParser.Parse(text);
        }
        catch (QueryParseException error)
        {
            throw new Xunit.Sdk.XunitException($"canonical text does not parse: {text}\n{error.Message}");
        }
    }
}
