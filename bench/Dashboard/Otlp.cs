using Grpc.Core;
using Shop.AppHost.Dashboard.Otlp;

/// <summary>gRPC calls with pre-encoded bodies (the client's encoding stays out of the measurement) or messages.</summary>
internal static class Otlp
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    public static readonly Method<byte[], byte[]> TraceExport = new(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", Raw, Raw);
    public static readonly Method<byte[], byte[]> LogsExport = new(MethodType.Unary, "opentelemetry.proto.collector.logs.v1.LogsService", "Export", Raw, Raw);
    public static readonly Method<byte[], byte[]> MetricsExport = new(MethodType.Unary, "opentelemetry.proto.collector.metrics.v1.MetricsService", "Export", Raw, Raw);

    public static async Task<byte[]> CallAsync(CallInvoker invoker, Method<byte[], byte[]> method, byte[] body, string key)
        => await invoker.AsyncUnaryCall(method, null, new CallOptions(new Metadata { { OtlpEndpoints.ApiKeyHeader, key } }), body).ResponseAsync.ConfigureAwait(false);
}
