using System.CommandLine;

namespace Threadline.Commands;

/// <summary><c>threadline serve</c>: run the server until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var server = new ServerCommandOptions("./threadline-data");
        var command = new Command("serve", "Run the Threadline server: OTLP receivers, the store and the API.");
        server.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (options, problems) = server.Read(parse);
            var (running, exitCode) = await ServerCommandOptions.StartAsync(options, problems, cancellationToken).ConfigureAwait(false);
            if (running is null)
                return exitCode;
            await using var _ = running;
            await ServerCommandOptions.WaitForShutdownAsync(running, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
