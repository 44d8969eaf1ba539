using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Otlp.Proto.Common;
using Shop.AppHost.Dashboard.Telemetry;
using OtlpPb = Shop.AppHost.Dashboard.Otlp.Proto;
using SpanKind = Shop.AppHost.Dashboard.Telemetry.SpanKind;
using StatusCode = Grpc.Core.StatusCode;

namespace Shop.Tests.Dashboard;

/// <summary>
/// What the OTLP receiver tests share: a dashboard of its own per test (<see cref="OtlpReceiverHost"/>), payloads built
/// by hand, the two transports, and checks of what landed in the store.
/// </summary>
public abstract partial class OtlpReceiverTestBase : IAsyncLifetime
{
    protected static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    protected static readonly byte[] TraceId = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    protected static readonly byte[] RootId = Convert.FromHexString("a1a2a3a4a5a6a7a8");
    protected static readonly byte[] ChildId = Convert.FromHexString("b1b2b3b4b5b6b7b8");

    protected OtlpReceiverHost _host = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await OtlpReceiverHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    // ---- payloads -------------------------------------------------------------------------------------------------

    protected static ulong Nanos(DateTime t) => (ulong)(t - DateTime.UnixEpoch).Ticks * 100;

    protected static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    protected static OtlpPb.Resource.Resource Resource(string name, string? instance = null)
    {
        var resource = new OtlpPb.Resource.Resource { Attributes = { Kv("service.name", name) } };
        if (instance is not null)
        {
            resource.Attributes.Add(Kv("service.instance.id", instance));
        }
        return resource;
    }

    protected static OtlpPb.Trace.Span Span(byte[] traceId, byte[] spanId, string name, byte[]? parent = null, DateTime? start = null) => new()
    {
        TraceId = ByteString.CopyFrom(traceId),
        SpanId = ByteString.CopyFrom(spanId),
        ParentSpanId = parent is null ? ByteString.Empty : ByteString.CopyFrom(parent),
        Name = name,
        Kind = OtlpPb.Trace.Span.Types.SpanKind.Server,
        StartTimeUnixNano = Nanos(start ?? T0),
        EndTimeUnixNano = Nanos((start ?? T0).AddMilliseconds(250)),
    };

    protected static ExportTraceServiceRequest Traces(string service, params OtlpPb.Trace.Span[] spans) => new()
    {
        ResourceSpans =
        {
            new OtlpPb.Trace.ResourceSpans
            {
                Resource = Resource(service, $"{service}-abcd1234"),
                ScopeSpans = { new OtlpPb.Trace.ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" }, Spans = { spans } } },
            },
        },
    };

    protected static ExportTraceServiceRequest SampleTraces()
    {
        var root = Span(TraceId, RootId, "GET /api/orders", parent: new byte[8]); // all-zero parent: a root
        root.Attributes.Add(Kv("http.route", "/api/orders"));
        root.Attributes.Add(new KeyValue { Key = "http.status_code", Value = new AnyValue { IntValue = 500 } });
        root.Attributes.Add(new KeyValue { Key = "sampled", Value = new AnyValue { BoolValue = true } });
        root.Attributes.Add(new KeyValue { Key = "ratio", Value = new AnyValue { DoubleValue = 0.25 } });
        root.Attributes.Add(new KeyValue
        {
            Key = "tags",
            Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "a" }, new AnyValue { IntValue = 2 } } } },
        });
        root.Attributes.Add(new KeyValue
        {
            Key = "map",
            Value = new AnyValue { KvlistValue = new KeyValueList { Values = { Kv("k", "v") } } },
        });
        root.Attributes.Add(new KeyValue { Key = "raw", Value = new AnyValue { BytesValue = ByteString.CopyFrom(1, 2, 3) } });
        root.Status = new OtlpPb.Trace.Status { Code = OtlpPb.Trace.Status.Types.StatusCode.Error, Message = "boom" };
        root.Events.Add(new OtlpPb.Trace.Span.Types.Event { Name = "exception", TimeUnixNano = Nanos(T0.AddMilliseconds(10)), Attributes = { Kv("exception.type", "System.Exception") } });
        var child = Span(TraceId, ChildId, "SELECT orders", parent: RootId, start: T0.AddMilliseconds(5));
        child.Kind = OtlpPb.Trace.Span.Types.SpanKind.Client;
        return Traces("ordering", root, child);
    }

    protected static ExportLogsServiceRequest SampleLogs() => new()
    {
        ResourceLogs =
        {
            new OtlpPb.Logs.ResourceLogs
            {
                Resource = Resource("payment"),
                ScopeLogs =
                {
                    new OtlpPb.Logs.ScopeLogs
                    {
                        Scope = new InstrumentationScope { Name = "Shop.Payment.Charges" },
                        LogRecords =
                        {
                            new OtlpPb.Logs.LogRecord
                            {
                                TimeUnixNano = Nanos(T0),
                                SeverityNumber = OtlpPb.Logs.SeverityNumber.Warn2,
                                SeverityText = "Warning",
                                Body = new AnyValue { StringValue = "Charge 42 declined" },
                                Attributes = { Kv("{OriginalFormat}", "Charge {ChargeId} declined"), Kv("ChargeId", "42") },
                                TraceId = ByteString.CopyFrom(TraceId),
                                SpanId = ByteString.CopyFrom(RootId),
                            },
                            new OtlpPb.Logs.LogRecord
                            {
                                ObservedTimeUnixNano = Nanos(T0.AddSeconds(1)), // no event time: the observed one
                                Body = new AnyValue { StringValue = "no severity" },
                            },
                        },
                    },
                },
            },
        },
    };

    protected static ExportMetricsServiceRequest SampleMetrics()
    {
        var scope = new OtlpPb.Metrics.ScopeMetrics { Scope = new InstrumentationScope { Name = "Shop.Ordering" } };
        scope.Metrics.Add(new OtlpPb.Metrics.Metric
        {
            Name = "orders.pending",
            Unit = "{order}",
            Gauge = new OtlpPb.Metrics.Gauge { DataPoints = { new OtlpPb.Metrics.NumberDataPoint { TimeUnixNano = Nanos(T0), AsDouble = 3.5 } } },
        });
        scope.Metrics.Add(new OtlpPb.Metrics.Metric
        {
            Name = "orders.placed",
            Description = "Orders placed",
            Sum = new OtlpPb.Metrics.Sum
            {
                IsMonotonic = true,
                AggregationTemporality = OtlpPb.Metrics.AggregationTemporality.Delta,
                DataPoints = { new OtlpPb.Metrics.NumberDataPoint { StartTimeUnixNano = Nanos(T0), TimeUnixNano = Nanos(T0.AddSeconds(1)), AsInt = 7, Attributes = { Kv("channel", "web") } } },
            },
        });
        scope.Metrics.Add(new OtlpPb.Metrics.Metric
        {
            Name = "http.server.request.duration",
            Unit = "s",
            Histogram = new OtlpPb.Metrics.Histogram
            {
                AggregationTemporality = OtlpPb.Metrics.AggregationTemporality.Cumulative,
                DataPoints =
                {
                    new OtlpPb.Metrics.HistogramDataPoint
                    {
                        StartTimeUnixNano = Nanos(T0), TimeUnixNano = Nanos(T0.AddSeconds(1)), Count = 6, Sum = 1.5, Min = 0.01, Max = 0.9,
                        ExplicitBounds = { 0.1, 0.5 }, BucketCounts = { 3, 2, 1 },
                    },
                },
            },
        });
        return new ExportMetricsServiceRequest { ResourceMetrics = { new OtlpPb.Metrics.ResourceMetrics { Resource = Resource("ordering", "ordering-x1"), ScopeMetrics = { scope } } } };
    }

    // ---- transports ---------------------------------------------------------------------------------------------

    protected static ByteArrayContent Protobuf(IMessage message, string contentType = "application/x-protobuf")
    {
        var content = new ByteArrayContent(message.ToByteArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    protected static async Task<T> PostAsync<T>(HttpClient http, string path, IMessage request, MessageParser<T> parser) where T : IMessage<T>
    {
        using var response = await http.PostAsync(path, Protobuf(request), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        return parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    protected static Task<TResponse> ExportAsync<TRequest, TResponse>(GrpcChannel channel, string service, TRequest request, string? apiKey = OtlpReceiverHost.ApiKey)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = new Method<TRequest, TResponse>(MethodType.Unary, service, "Export",
            Marshallers.Create(m => m.ToByteArray(), b => new MessageParser<TRequest>(() => new TRequest()).ParseFrom(b)),
            Marshallers.Create(m => m.ToByteArray(), b => new MessageParser<TResponse>(() => new TResponse()).ParseFrom(b)));
        var headers = new Metadata();
        if (apiKey is not null)
        {
            headers.Add(OtlpEndpoints.ApiKeyHeader, apiKey);
        }
        return channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(headers, cancellationToken: Ct), request).ResponseAsync;
    }

    protected const string TraceService = "opentelemetry.proto.collector.trace.v1.TraceService";
    protected const string LogsService = "opentelemetry.proto.collector.logs.v1.LogsService";
    protected const string MetricsService = "opentelemetry.proto.collector.metrics.v1.MetricsService";

}
