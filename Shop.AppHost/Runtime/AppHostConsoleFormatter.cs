using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Shop.AppHost.Runtime;

/// <summary>One short line per event: "21:40:02 info  postgres: Running". The AppHost's console is a progress report.</summary>
internal sealed class AppHostConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "apphost";

    public override void Write<TState>(in LogEntry<TState> logEntry, Microsoft.Extensions.Logging.IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            LogLevel.Critical => "crit",
            _ => "    ",
        };
        textWriter.Write(DateTime.Now.ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(level);
        textWriter.Write("  ");
        textWriter.WriteLine(message);
        if (logEntry.Exception is { } ex && logEntry.LogLevel >= LogLevel.Error)
        {
            textWriter.WriteLine($"      {ex.GetType().Name}: {ex.Message}");
        }
    }
}

internal static class NullLoggerExtensions
{
    public static ILogger OrNull(this ILogger? logger) => logger ?? NullLogger.Instance;
}
