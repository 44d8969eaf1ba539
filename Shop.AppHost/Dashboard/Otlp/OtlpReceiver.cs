using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Telemetry;

namespace Shop.AppHost.Dashboard.Otlp;

/// <summary>
/// One OTLP export, whichever transport brought it: converts, stores what is valid, and answers with OTLP's partial
/// success (left unset when everything was kept, as the protocol asks).
/// </summary>
public sealed class OtlpReceiver(TelemetryRepository telemetry)
{
    public ExportTraceServiceResponse Export(ExportTraceServiceRequest request)
    {
        var result = OtlpConverter.ConvertTraces(request, telemetry.Limits);
        telemetry.AddSpans(result.Items);
        return new ExportTraceServiceResponse
        {
            PartialSuccess = result.Rejected == 0 ? null : new ExportTracePartialSuccess { RejectedSpans = result.Rejected, ErrorMessage = result.Error ?? "" },
        };
    }

    public ExportLogsServiceResponse Export(ExportLogsServiceRequest request)
    {
        var result = OtlpConverter.ConvertLogs(request, telemetry.Limits);
        telemetry.AddLogs(result.Items);
        return new ExportLogsServiceResponse
        {
            PartialSuccess = result.Rejected == 0 ? null : new ExportLogsPartialSuccess { RejectedLogRecords = result.Rejected, ErrorMessage = result.Error ?? "" },
        };
    }

    public ExportMetricsServiceResponse Export(ExportMetricsServiceRequest request)
    {
        var result = OtlpConverter.ConvertMetrics(request, telemetry.Limits);
        foreach (var (source, updates) in result.Items)
        {
            telemetry.AddMetrics(source, updates);
        }
        return new ExportMetricsServiceResponse
        {
            PartialSuccess = result.Rejected == 0 ? null : new ExportMetricsPartialSuccess { RejectedDataPoints = result.Rejected, ErrorMessage = result.Error ?? "" },
        };
    }
}
