using System.Globalization;

namespace Threadline.Bench.Measure;

/// <summary>A process's own accounting from /proc: CPU time (utime + stime) and peak resident memory (VmHWM).</summary>
internal static class ProcessAccounting
{
    /// <summary>Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on every mainstream Linux).</summary>
    private const double TicksPerSecond = 100;

    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var user = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var system = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (user + system) / TicksPerSecond;
    }

    public static double PeakRssMegabytes(int pid) => StatusKilobytes(pid, "VmHWM:") / 1024.0;

    /// <summary>
    /// Resets the process's VmHWM to its current RSS (<c>5</c> to <c>/proc/PID/clear_refs</c>, Linux 4.0+; a process of
    /// this user), so that a later <see cref="PeakRssMegabytes"/> is the peak since; false where the kernel refuses.
    /// </summary>
    public static bool ResetPeakRss(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long StatusKilobytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }

    /// <summary>The 1-minute load average: how busy the shared machine was.</summary>
    public static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
