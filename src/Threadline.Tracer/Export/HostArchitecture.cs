using System.Runtime.InteropServices;

namespace Threadline.Tracer.Export;

/// <summary>
/// The <c>host.arch</c> resource attribute in OpenTelemetry's values. Lambda bills arm64 (Graviton) and x86_64 at
/// different GB-second prices, so the server needs it to price an invocation.
/// </summary>
internal static class HostArchitecture
{
    public static string? Current { get; } = Of(RuntimeInformation.ProcessArchitecture);

    public static string? Of(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "x86",
        Architecture.Arm => "arm32",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64",
        _ => null,
    };
}
