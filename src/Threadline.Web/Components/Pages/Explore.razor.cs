using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Analysis.Search;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;

namespace Threadline.Web.Components.Pages;

/// <summary>
/// Search by anything (<c>/explore?q=</c>, docs/search.md): the query box with autocomplete of fields and values,
/// facets that refine the query, a histogram of the matches over the last 24 hours and the newest matches, each
/// linked to its invocation in its transaction. Everything comes from <see cref="SearchQueries"/>, as the API's.
/// </summary>
public partial class Explore
{
    private string _text = "";
    // What the box shows as rendered: set from the URL and by a pick only, never while typing (a re-render with text
    // that lags behind the keystrokes would overwrite them).
    private string _shown = "";
    private string? _error;
    private SearchResponse? _response;
    private IReadOnlyList<SearchFacet> _facets = [];
    private SearchHistogram? _histogram;
    private IReadOnlyList<SearchSuggestion> _suggestions = [];
    private int _inputVersion;

    [Inject] private IServiceProvider Services { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }

    private SearchQueries? Search => Services.GetService<SearchQueries>();

    protected override async Task OnParametersSetAsync()
    {
        if (Search is not { } search)
            return;
        _text = _shown = Q ?? "";
        _suggestions = [];
        if (!SearchQueries.TryParseQuery(_text, out var query, out var error))
        {
            _error = error.Message;
            _response = null;
            return;
        }
        _error = null;
        var (from, to) = search.Range(null, null);
        var ct = CancellationToken.None;
        _response = await search.SearchAsync(query, from, to, SearchQueries.DefaultLimit, null, false, ct);
        _facets = await search.FacetsAsync(query, from, to, [.. SearchQueries.FacetFields.Select(f => (QueryField)new CatalogField(f))], 8, ct);
        _histogram = await search.HistogramAsync(query, from, to, ct);
    }

    private async Task OnInputAsync(ChangeEventArgs change)
    {
        _text = change.Value as string ?? "";
        if (Search is not { } search)
            return;
        // Completions of earlier keystrokes may finish after later ones: only the latest text's are shown.
        var version = ++_inputVersion;
        var (from, to) = search.Range(null, null);
        var completion = await search.CompleteAsync(_text, _text.Length, from, to, CancellationToken.None);
        if (version == _inputVersion)
            _suggestions = [.. completion.Suggestions.Take(12)];
    }

    private void Pick(SearchSuggestion suggestion)
    {
        _text = _shown = suggestion.Text;
        _suggestions = [];
    }

    private void Submit() => Navigation.NavigateTo(Link(_text));

    /// <summary>The current query with a facet's term added.</summary>
    private string Refine(string term) => Link(string.IsNullOrWhiteSpace(Q) ? term : $"{Q.Trim()} {term}");

    public static string Link(string query) => string.IsNullOrWhiteSpace(query) ? "/explore" : $"/explore?q={Uri.EscapeDataString(query.Trim())}";
}
