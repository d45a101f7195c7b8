using System.CommandLine;
using Threadline.Server;

namespace Threadline.Commands;

/// <summary><c>threadline serve</c>: run the server until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "The data folder for the embedded store [env: THREADLINE_DATA]",
            DefaultValueFactory = _ => EnvironmentDefault.String("THREADLINE_DATA", "./threadline-data"),
        };
        var apiPort = PortOption("--api-port", "THREADLINE_API_PORT", ThreadlineServerOptions.DefaultApiPort, "UI and JSON API");
        var otlpHttpPort = PortOption("--otlp-http-port", "THREADLINE_OTLP_HTTP_PORT", ThreadlineServerOptions.DefaultOtlpHttpPort, "OTLP/HTTP receiver");
        var otlpGrpcPort = PortOption("--otlp-grpc-port", "THREADLINE_OTLP_GRPC_PORT", ThreadlineServerOptions.DefaultOtlpGrpcPort, "OTLP/gRPC receiver");
        var maxRequestBytes = new Option<int>("--max-request-bytes")
        {
            Description = "Largest OTLP request body accepted, before and after decompression [env: THREADLINE_MAX_REQUEST_BYTES]",
            DefaultValueFactory = result => EnvironmentDefault.Int(result, "THREADLINE_MAX_REQUEST_BYTES", Ingest.OtlpReceiverOptions.DefaultMaxRequestBytes),
        };

        var command = new Command("serve", "Run the Threadline server: OTLP receivers, the store and the API.")
        {
            data, apiPort, otlpHttpPort, otlpGrpcPort, maxRequestBytes,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ThreadlineServerOptions
            {
                DataDirectory = parse.GetValue(data)!,
                ApiPort = parse.GetValue(apiPort),
                OtlpHttpPort = parse.GetValue(otlpHttpPort),
                OtlpGrpcPort = parse.GetValue(otlpGrpcPort),
                MaxRequestBytes = parse.GetValue(maxRequestBytes),
            };
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                    await Console.Error.WriteLineAsync("threadline: " + error).ConfigureAwait(false);
                return 2;
            }

            RunningServer server;
            try
            {
                server = await ThreadlineServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or DuckDB.NET.Data.DuckDBException)
            {
                // A port in use, a data folder held by another Threadline, a store from another version.
                await Console.Error.WriteLineAsync("threadline: cannot start: " + e.Message).ConfigureAwait(false);
                return 1;
            }
            await using var _ = server;
            var host = options.BindAddress;
            Console.WriteLine($"Threadline is running. Data: {server.DataDirectory}");
            Console.WriteLine($"  UI and API: http://{host}:{server.ApiPort}");
            Console.WriteLine($"  OTLP/HTTP:  http://{host}:{server.OtlpHttpPort}");
            Console.WriteLine($"  OTLP/gRPC:  http://{host}:{server.OtlpGrpcPort}");
            try
            {
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: fall through to an orderly stop.
            }
            return 0;
        });
        return command;
    }

    private static Option<int> PortOption(string name, string variable, int fallback, string what) => new(name)
    {
        Description = $"Port of the {what}; 0 picks a free one [env: {variable}]",
        DefaultValueFactory = result => EnvironmentDefault.Int(result, variable, fallback),
    };
}
