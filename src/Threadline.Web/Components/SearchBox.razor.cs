using Microsoft.AspNetCore.Components;
using Threadline.Web.Data;

namespace Threadline.Web.Components;

public partial class SearchBox
{
    private string _text = "";
    private string? _notFound;

    [Inject] private TransactionReader Reader { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

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
        else
        {
            _notFound = text;
        }
    }
}
