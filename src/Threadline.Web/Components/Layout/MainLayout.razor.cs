using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Threadline.Server.Security;

namespace Threadline.Web.Components.Layout;

public partial class MainLayout
{
    /// <summary>True once the page is connected and interactive (tests and styles can wait for it).</summary>
    private bool _interactive;

    /// <summary>Who is signed in, when authentication is on (the header then offers to sign out).</summary>
    private string? _userName;

    [Inject]
    private IServiceProvider Services { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        if (Services.GetService(typeof(ServerSecurity)) is not ServerSecurity { Enabled: true }
            || Services.GetService(typeof(AuthenticationStateProvider)) is not AuthenticationStateProvider authentication)
            return;
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        _userName = user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && !_interactive)
        {
            _interactive = true;
            StateHasChanged();
        }
    }
}
