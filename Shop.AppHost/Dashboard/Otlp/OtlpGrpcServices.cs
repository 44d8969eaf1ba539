using Grpc.Core;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;

namespace Shop.AppHost.Dashboard.Otlp;

// OTLP/gRPC: opentelemetry.proto.collector.{trace|logs|metrics}.v1.{Trace|Logs|Metrics}Service/Export. The API key is
// checked before these run (OtlpEndpoints' middleware), so an unauthenticated body is never parsed.

internal sealed class OtlpGrpcTraceService(OtlpReceiver receiver) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        => Task.FromResult(receiver.Export(request));
}

internal sealed class OtlpGrpcLogsService(OtlpReceiver receiver) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
        => Task.FromResult(receiver.Export(request));
}

internal sealed class OtlpGrpcMetricsService(OtlpReceiver receiver) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        => Task.FromResult(receiver.Export(request));
}
