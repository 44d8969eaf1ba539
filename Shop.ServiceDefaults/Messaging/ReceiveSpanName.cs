using System.Diagnostics;
using Wolverine;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// Wolverine middleware: a delivery handled inline runs in Wolverine's one consumer span, named just "receive"; this
/// names it after the message, as the durable path's handling span is, so a trace's waterfall says what each hop was.
/// </summary>
public static class ReceiveSpanName
{
    private const string WolverineSource = "Wolverine";

    public static void Before(Envelope envelope)
    {
        if (Activity.Current is { Source.Name: WolverineSource, OperationName: "receive" } receive
            && envelope.MessageType is { } messageType)
        {
            receive.DisplayName = $"receive {messageType}";
        }
    }
}
