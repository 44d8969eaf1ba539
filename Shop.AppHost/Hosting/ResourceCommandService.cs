using Shop.AppHost.Runtime;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>The commands every runnable resource has, named as in Aspire.</summary>
public static class KnownResourceCommands
{
    public const string StartCommand = "resource-start";
    public const string StopCommand = "resource-stop";
    public const string RestartCommand = "resource-restart";
}

public sealed record ExecuteCommandResult(bool Success, string? ErrorMessage = null);

/// <summary>Runs a resource command (start, stop, restart), as Aspire's ResourceCommandService and the dashboard's buttons do.</summary>
public sealed class ResourceCommandService
{
    private readonly Orchestrator _orchestrator;

    internal ResourceCommandService(Orchestrator orchestrator) => _orchestrator = orchestrator;

    public async Task<ExecuteCommandResult> ExecuteCommandAsync(string resourceName, string commandName, CancellationToken cancellationToken = default)
    {
        try
        {
            switch (commandName)
            {
                case KnownResourceCommands.StopCommand:
                    await _orchestrator.StopResourceAsync(resourceName, cancellationToken).ConfigureAwait(false);
                    break;
                case KnownResourceCommands.StartCommand:
                    await _orchestrator.StartResourceAsync(resourceName, cancellationToken).ConfigureAwait(false);
                    break;
                case KnownResourceCommands.RestartCommand:
                    await _orchestrator.StopResourceAsync(resourceName, cancellationToken).ConfigureAwait(false);
                    await _orchestrator.StartResourceAsync(resourceName, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    return new ExecuteCommandResult(false, $"Unknown command '{commandName}'.");
            }
            return new ExecuteCommandResult(true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return new ExecuteCommandResult(false, ex.Message);
        }
    }
}
