using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Threadline.Ingest.Receive.Grpc;

public static class OtlpGrpcServiceCollectionExtensions
{
    /// <summary>Registers gRPC with the OTLP services bound through <see cref="OtlpGrpcMethodProvider"/>.</summary>
    public static IServiceCollection AddOtlpGrpc(this IServiceCollection services, int maxReceiveMessageSize)
    {
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = maxReceiveMessageSize;
            grpc.EnableDetailedErrors = false;
        });
        var provider = new OtlpGrpcMethodProvider();
        services.AddSingleton<IServiceMethodProvider<OtlpGrpcTraceService>>(provider);
        services.AddSingleton<IServiceMethodProvider<OtlpGrpcLogsService>>(provider);
        services.AddScoped<OtlpGrpcTraceService>();
        services.AddScoped<OtlpGrpcLogsService>();
        return services;
    }
}
