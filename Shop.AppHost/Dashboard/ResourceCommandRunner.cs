using System.Collections.Immutable;
using Aspire.Hosting.ApplicationModel;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Shop.AppHost.Dashboard;

/// <summary>
/// One circuit's resource commands (start, stop, restart). It remembers which command is in flight for which resource
/// so that every button for that resource (its grid row and the details panel) shows the same progress, and it
/// reports a failed command as a toast. The resource's new state is not reported here: the live snapshots show it.
/// </summary>
public sealed class ResourceCommandRunner(ResourceCommandService commands, INotificationService toasts)
{
    // Read by renders while a command may be completing: swapped whole, never mutated in place.
    private ImmutableDictionary<string, string> _inFlight = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Raised when a command starts or ends; handlers re-render through InvokeAsync.</summary>
    public event Action? Changed;

    /// <summary>The command running for <paramref name="resourceName"/>, or null.</summary>
    public string? InFlight(string resourceName) => _inFlight.GetValueOrDefault(resourceName);

    /// <summary>Whether the resource's state allows the command (the rules of Aspire's dashboard).</summary>
    public static bool Applies(ResourceSnapshot resource, string commandName) => commandName switch
    {
        KnownResourceCommands.StartCommand => KnownResourceStates.IsTerminal(resource.State),
        KnownResourceCommands.StopCommand => resource.State is KnownResourceStates.Running or KnownResourceStates.Starting
            or KnownResourceStates.Waiting or KnownResourceStates.RuntimeUnhealthy,
        KnownResourceCommands.RestartCommand => resource.State == KnownResourceStates.Running,
        _ => false,
    };

    public static string DisplayName(string commandName) => commandName switch
    {
        KnownResourceCommands.StartCommand => "Start",
        KnownResourceCommands.StopCommand => "Stop",
        KnownResourceCommands.RestartCommand => "Restart",
        _ => commandName,
    };

    /// <summary>
    /// Runs the command and returns once it has completed (a stop waits for the resource to be down). Awaited by the
    /// button's handler, so the circuit keeps rendering meanwhile. A second command for a resource that already has
    /// one in flight is ignored: the buttons are disabled then, and a queued click would act on a stale state.
    /// </summary>
    public async Task ExecuteAsync(string resourceName, string commandName)
    {
        if (!ImmutableInterlocked.TryAdd(ref _inFlight, resourceName, commandName))
        {
            return;
        }
        Changed?.Invoke();

        // No ConfigureAwait(false) here: called from a component's event handler, the code after each await then runs
        // on the circuit's dispatcher, where raising Changed and showing a toast belong.
        ExecuteCommandResult result;
        try
        {
            // Deliberately not tied to the circuit: a stop that has begun completes even if the tab is closed, so the
            // resource is never left half-stopped because someone navigated away.
            result = await commands.ExecuteCommandAsync(resourceName, commandName, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The service reports expected failures in its result; anything else must not take the circuit down.
            result = new ExecuteCommandResult(false, ex.Message);
        }
        finally
        {
            ImmutableInterlocked.TryRemove(ref _inFlight, resourceName, out _);
            Changed?.Invoke();
        }

        if (!result.Success)
        {
            await toasts.ShowToastAsync(o =>
            {
                o.Intent = ToastIntent.Error;
                o.Title = $"{DisplayName(commandName)} {resourceName} failed";
                o.Message = result.ErrorMessage ?? "The command did not complete.";
                // An error stays until it is dismissed: it may explain a state the person only looks at later.
                o.Lifetime = TimeSpan.Zero;
            });
        }
    }
}
