namespace Threadline.Server.Security.SignIn;

/// <summary>The stylesheet of the sign-in pages (<c>/signin.css</c>): Fluent 2's dark neutral and brand colours.</summary>
internal static class SignInStyle
{
    public const string Css = """
        :root { color-scheme: dark; font-family: "Segoe UI Variable", "Segoe UI", system-ui, -apple-system, sans-serif; }
        * { box-sizing: border-box; }
        body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #1f1f1f; color: #ffffff; font-size: 14px; line-height: 20px; }
        .card { width: min(360px, calc(100vw - 32px)); padding: 32px; background: #292929; border: 1px solid #3d3d3d; border-radius: 8px; box-shadow: 0 8px 16px rgba(0, 0, 0, 0.4); }
        .brand { margin: 0 0 8px; color: #479ef5; font-weight: 600; letter-spacing: 0.02em; }
        h1 { margin: 0 0 24px; font-size: 24px; line-height: 32px; font-weight: 600; }
        form { display: grid; gap: 4px; }
        label { margin-top: 12px; font-weight: 600; color: #d6d6d6; }
        input { height: 32px; padding: 0 10px; color: #ffffff; background: #1f1f1f; border: 1px solid #666666; border-bottom-color: #adadad; border-radius: 4px; font: inherit; }
        input:hover { border-color: #757575; border-bottom-color: #d6d6d6; }
        input:focus { outline: none; border-bottom: 2px solid #479ef5; }
        button { margin-top: 24px; height: 32px; color: #ffffff; background: #115ea3; border: 1px solid transparent; border-radius: 4px; font: inherit; font-weight: 600; cursor: pointer; }
        button:hover { background: #0f548c; }
        button:active { background: #0c3b5e; }
        button:focus-visible, a:focus-visible, input:focus-visible { outline: 2px solid #ffffff; outline-offset: 2px; }
        .error { margin: 0 0 8px; padding: 8px 12px; color: #ffffff; background: #3f1011; border: 1px solid #d13438; border-radius: 4px; }
        .hint { margin: 24px 0 0; color: #adadad; font-size: 12px; }
        a { color: #479ef5; }
        code { font-family: Consolas, "Cascadia Mono", monospace; color: #d6d6d6; }
        """;
}
