namespace Threadline.Web.Components.Layout;

public partial class MainLayout
{
    /// <summary>True once the page is connected and interactive (tests and styles can wait for it).</summary>
    private bool _interactive;

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && !_interactive)
        {
            _interactive = true;
            StateHasChanged();
        }
    }
}
