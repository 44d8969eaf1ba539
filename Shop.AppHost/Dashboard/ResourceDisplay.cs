using System.Globalization;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Shop.AppHost.Dashboard;

/// <summary>How a resource's snapshot is shown: colors, words and formats shared by the pages.</summary>
public static partial class ResourceDisplay
{
    /// <summary>
    /// Ended badly: failed to start, exited or finished with a non-zero exit code, or declared unhealthy by the runtime.
    /// Exited without an exit code is not an error: the AppHost records the code of every exit it did not ask for, so
    /// a missing one means the AppHost stopped it (a Stop command, shutdown), which must not count on the error badge.
    /// </summary>
    public static bool IsError(ResourceSnapshot s) => s.State switch
    {
        KnownResourceStates.FailedToStart or KnownResourceStates.RuntimeUnhealthy => true,
        KnownResourceStates.Exited or KnownResourceStates.Finished => s.ExitCode is not (null or 0),
        _ => false,
    };

    public static BadgeColor StateColor(ResourceSnapshot s) => s.State switch
    {
        _ when IsError(s) => s.State == KnownResourceStates.RuntimeUnhealthy ? BadgeColor.Warning : BadgeColor.Danger,
        KnownResourceStates.Running => BadgeColor.Success,
        _ => BadgeColor.Informative,
    };

    public static string StateText(ResourceSnapshot s) =>
        KnownResourceStates.IsTerminal(s.State) && s.ExitCode is { } code
            ? string.Create(CultureInfo.InvariantCulture, $"{s.State} ({code})")
            : s.State;

    public static string HealthText(ResourceSnapshot s) => s.HealthStatus?.ToString() ?? "—";

    public static BadgeColor HealthColor(ResourceSnapshot s) => HealthColor(s.HealthStatus);

    /// <summary>A resource's or one health check's status; a check that has not reported yet is neither good nor bad.</summary>
    public static BadgeColor HealthColor(ResourceHealthStatus? status) => status switch
    {
        ResourceHealthStatus.Healthy => BadgeColor.Success,
        ResourceHealthStatus.Degraded => BadgeColor.Warning,
        ResourceHealthStatus.Unhealthy => BadgeColor.Danger,
        _ => BadgeColor.Informative,
    };

    /// <summary>"exit code 1: reason" for ended resources, else the AppHost's own words.</summary>
    public static string Details(ResourceSnapshot s)
    {
        if (KnownResourceStates.IsTerminal(s.State) && s.ExitCode is { } code)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"exit code {code}");
            return string.IsNullOrEmpty(s.StateDescription) || s.StateDescription.Contains(prefix, StringComparison.OrdinalIgnoreCase)
                ? s.StateDescription ?? prefix
                : $"{prefix}: {s.StateDescription}";
        }
        if (!string.IsNullOrEmpty(s.StateDescription))
        {
            return s.StateDescription;
        }
        return s.State == KnownResourceStates.Waiting && s.WaitsFor.Length > 0 ? $"waiting for {string.Join(", ", s.WaitsFor)}" : "";
    }

    /// <summary>Only http(s) URLs become links: tcp://, redis://, amqp:// … mean nothing to a browser.</summary>
    public static bool IsHttp(string url) =>
        url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Local wall-clock time; the dashboard runs beside the person looking at it.</summary>
    public static string Time(DateTimeOffset? t, string format = "HH:mm:ss") =>
        t is { } v ? v.ToLocalTime().ToString(format, CultureInfo.InvariantCulture) : "—";

    /// <summary>Removes ANSI escape sequences (colors, cursor moves, OSC titles/links) from a console line.</summary>
    public static string StripAnsi(string line) => line.Contains('\u001b', StringComparison.Ordinal) ? Ansi().Replace(line, "") : line;

    // CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \) and two-character escapes.
    [GeneratedRegex(@"\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])")]
    private static partial Regex Ansi();
}
