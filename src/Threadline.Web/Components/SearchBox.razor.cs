using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;

namespace Threadline.Web.Components;

public partial class SearchBox
{
    private string _text = "";
    private string? _notFound;

    [Inject] private TransactionReader Reader { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private IServiceProvider Services { get; set; } = null!;

    private void Go()
    {
        var text = _text.Trim();
        if (text.Length == 0)
            return;
        if (Reader.Resolve(text) is { } target)
        {
            _notFound = null;
            Navigation.NavigateTo(target);
        }
        else if (Services.GetService(typeof(Threadline.Analysis.Search.SearchQueries)) is not null)
        {
            // Anything that is not a known id is a query of the search language.
            _notFound = null;
            Navigation.NavigateTo(Pages.Explore.Link(text));
        }
        else
        {
            _notFound = text;
        }
    }
}
