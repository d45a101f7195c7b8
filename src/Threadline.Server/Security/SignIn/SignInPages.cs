using System.Text.Encodings.Web;

namespace Threadline.Server.Security.SignIn;

/// <summary>
/// The HTML of the sign-in and sign-out pages: plain forms that work without script, styled like the UI's dark
/// Fluent theme by <c>/signin.css</c> (a stylesheet of its own, since the CSP allows no inline style element).
/// Every value put into the HTML is encoded.
/// </summary>
internal static class SignInPages
{
    public static string SignIn(string formField, string antiforgeryToken, string returnUrl, string userName, string? error)
    {
        var alert = error is null ? "" : $"""<p class="error" role="alert" id="error">{Encode(error)}</p>""";
        var described = error is null ? "" : """ aria-describedby="error" """;
        return Page("Sign in", $"""
            <h1 id="title">Sign in</h1>
            {alert}
            <form method="post" action="/signin">
              <input type="hidden" name="{Encode(formField)}" value="{Encode(antiforgeryToken)}">
              <input type="hidden" name="returnUrl" value="{Encode(returnUrl)}">
              <label for="name">User name</label>
              <input id="name" name="name" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="{Encode(userName)}"{described}>
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required{described}>
              <button type="submit">Sign in</button>
            </form>
            <p class="hint">Users are added on the server: <code>threadline auth add-user NAME</code>.</p>
            """);
    }

    public static string SignOut(string formField, string antiforgeryToken, string userName) => Page("Sign out", $"""
        <h1 id="title">Sign out</h1>
        <p>You are signed in as <strong>{Encode(userName)}</strong>.</p>
        <form method="post" action="/signout">
          <input type="hidden" name="{Encode(formField)}" value="{Encode(antiforgeryToken)}">
          <button type="submit">Sign out</button>
        </form>
        <p class="hint"><a href="/">Back to Threadline</a></p>
        """);

    public static string Message(string title, string text) => Page(title, $"""
        <h1 id="title">{Encode(title)}</h1>
        <p class="error" role="alert">{Encode(text)}</p>
        <p class="hint"><a href="/signin">Back to sign-in</a></p>
        """);

    private static string Page(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta name="color-scheme" content="dark">
          <title>{Encode(title)} · Threadline</title>
          <link rel="stylesheet" href="/signin.css">
        </head>
        <body>
          <main class="card" aria-labelledby="title">
            <p class="brand" aria-hidden="true">Threadline</p>
        {body}
          </main>
        </body>
        </html>
        """;

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}
