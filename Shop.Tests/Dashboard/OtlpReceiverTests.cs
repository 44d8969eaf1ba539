using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Shop.AppHost.Dashboard;
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
/// A dashboard of its own on free ports (UI, OTLP/gRPC, OTLP/HTTP) over a fresh store: no AppHost, no services. The
/// clients are a raw HttpClient, a Grpc.Net.Client channel with hand-built methods (so the service paths are checked
/// as strings) and the OpenTelemetry .NET SDK's own exporter.
/// </summary>
public sealed class OtlpReceiverHost : IAsyncDisposable
{
    public const string ApiKey = "test-otlp-key-0123456789abcdef";

    private readonly WebApplication _app;

    private OtlpReceiverHost(WebApplication app, TelemetryRepository telemetry)
    {
        _app = app;
        Telemetry = telemetry;
    }

    public TelemetryRepository Telemetry { get; }
    public string UiUrl => DashboardHost.GetBoundUrl(_app);
    public string GrpcUrl => DashboardHost.GetOtlpGrpcUrl(_app)!;
    public string HttpUrl => DashboardHost.GetOtlpHttpUrl(_app)!;

    public static async Task<OtlpReceiverHost> StartAsync(TelemetryLimits? limits = null)
    {
        var telemetry = new TelemetryRepository(limits ?? new TelemetryLimits());
        var app = DashboardHost.Create(new DashboardOptions
        {
            Url = "http://127.0.0.1:0",
            BrowserToken = "browser-token",
            OtlpGrpcUrl = "http://127.0.0.1:0",
            OtlpHttpUrl = "http://127.0.0.1:0",
            OtlpApiKey = ApiKey,
        }, new ResourceNotificationService(), new ResourceLoggerService(), new ResourceCommandService(null!), telemetry);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new OtlpReceiverHost(app, telemetry);
    }

    public HttpClient Http(string? apiKey = ApiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(HttpUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(OtlpEndpoints.ApiKeyHeader, apiKey);
        }
        return client;
    }

    public GrpcChannel Channel() => GrpcChannel.ForAddress(GrpcUrl);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed class OtlpReceiverTests : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly byte[] TraceId = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    private static readonly byte[] RootId = Convert.FromHexString("a1a2a3a4a5a6a7a8");
    private static readonly byte[] ChildId = Convert.FromHexString("b1b2b3b4b5b6b7b8");

    private OtlpReceiverHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await OtlpReceiverHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    // ---- payloads -------------------------------------------------------------------------------------------------

    private static ulong Nanos(DateTime t) => (ulong)(t - DateTime.UnixEpoch).Ticks * 100;

    private static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static OtlpPb.Resource.Resource Resource(string name, string? instance = null)
    {
        var resource = new OtlpPb.Resource.Resource { Attributes = { Kv("service.name", name) } };
        if (instance is not null)
        {
            resource.Attributes.Add(Kv("service.instance.id", instance));
        }
        return resource;
    }

    private static OtlpPb.Trace.Span Span(byte[] traceId, byte[] spanId, string name, byte[]? parent = null, DateTime? start = null) => new()
    {
        TraceId = ByteString.CopyFrom(traceId),
        SpanId = ByteString.CopyFrom(spanId),
        ParentSpanId = parent is null ? ByteString.Empty : ByteString.CopyFrom(parent),
        Name = name,
        Kind = OtlpPb.Trace.Span.Types.SpanKind.Server,
        StartTimeUnixNano = Nanos(start ?? T0),
        EndTimeUnixNano = Nanos((start ?? T0).AddMilliseconds(250)),
    };

    private static ExportTraceServiceRequest Traces(string service, params OtlpPb.Trace.Span[] spans) => new()
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

    private static ExportTraceServiceRequest SampleTraces()
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

    private static ExportLogsServiceRequest SampleLogs() => new()
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

    private static ExportMetricsServiceRequest SampleMetrics()
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

    private static ByteArrayContent Protobuf(IMessage message, string contentType = "application/x-protobuf")
    {
        var content = new ByteArrayContent(message.ToByteArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static async Task<T> PostAsync<T>(HttpClient http, string path, IMessage request, MessageParser<T> parser) where T : IMessage<T>
    {
        using var response = await http.PostAsync(path, Protobuf(request), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        return parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    private static Task<TResponse> ExportAsync<TRequest, TResponse>(GrpcChannel channel, string service, TRequest request, string? apiKey = OtlpReceiverHost.ApiKey)
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

    private const string TraceService = "opentelemetry.proto.collector.trace.v1.TraceService";
    private const string LogsService = "opentelemetry.proto.collector.logs.v1.LogsService";
    private const string MetricsService = "opentelemetry.proto.collector.metrics.v1.MetricsService";

    // ---- checks of what landed ----------------------------------------------------------------------------------

    private static void AssertSampleTraceStored(TelemetryRepository telemetry)
    {
        var trace = telemetry.GetTrace("0102030405060708090a0b0c0d0e0f10");
        Assert.NotNull(trace);
        Assert.Equal(2, trace.Spans.Count);
        var root = trace.Spans.Single(s => s.SpanId == "a1a2a3a4a5a6a7a8");
        Assert.Null(root.ParentSpanId);
        Assert.Equal(new TelemetrySource("ordering", "ordering-abcd1234"), root.Source);
        Assert.Equal("GET /api/orders", root.Name);
        Assert.Equal(SpanKind.Server, root.Kind);
        Assert.Equal(T0, root.Start);
        Assert.Equal(DateTimeKind.Utc, root.Start.Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(250), root.Duration);
        Assert.Equal(SpanStatus.Error, root.Status);
        Assert.Equal("boom", root.StatusMessage);
        Assert.Equal("Microsoft.AspNetCore", root.Scope);
        var attributes = root.Attributes.ToDictionary();
        Assert.Equal("/api/orders", attributes["http.route"]);
        Assert.Equal("500", attributes["http.status_code"]);
        Assert.Equal("true", attributes["sampled"]);
        Assert.Equal("0.25", attributes["ratio"]);
        Assert.Equal("[\"a\",2]", attributes["tags"]);
        Assert.Equal("{\"k\":\"v\"}", attributes["map"]);
        Assert.Equal("AQID", attributes["raw"]);
        var exception = Assert.Single(root.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Equal(T0.AddMilliseconds(10), exception.Timestamp);
        Assert.Equal("System.Exception", exception.Attributes.Single().Value);
        Assert.True(root.IsError);

        var child = trace.Spans.Single(s => s.SpanId == "b1b2b3b4b5b6b7b8");
        Assert.Equal("a1a2a3a4a5a6a7a8", child.ParentSpanId);
        Assert.Equal(SpanKind.Client, child.Kind);
        Assert.Same(root, trace.Root);
    }

    private static void AssertSampleLogsStored(TelemetryRepository telemetry)
    {
        var logs = telemetry.GetLogs(new LogQuery { Resource = "payment" }).Entries;
        Assert.Equal(2, logs.Count);
        var declined = logs.Single(l => l.Message == "Charge 42 declined");
        Assert.Equal(new TelemetrySource("payment", "payment"), declined.Source); // no instance id: the name
        Assert.Equal(LogSeverity.Warning, declined.Severity);
        Assert.Equal(T0, declined.Timestamp);
        Assert.Equal("Shop.Payment.Charges", declined.Category);
        Assert.Equal("0102030405060708090a0b0c0d0e0f10", declined.TraceId);
        Assert.Equal("a1a2a3a4a5a6a7a8", declined.SpanId);
        Assert.Equal("Charge {ChargeId} declined", declined.Attributes.ToDictionary()["{OriginalFormat}"]);
        Assert.Equal("42", declined.Attributes.ToDictionary()["ChargeId"]);

        var plain = logs.Single(l => l.Message == "no severity");
        Assert.Equal(LogSeverity.Information, plain.Severity);
        Assert.Equal(T0.AddSeconds(1), plain.Timestamp);
        Assert.Null(plain.TraceId);
        Assert.Null(plain.SpanId);
    }

    private static void AssertSampleMetricsStored(TelemetryRepository telemetry)
    {
        var gauge = telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.pending");
        Assert.NotNull(gauge);
        Assert.Equal(MetricKind.Gauge, gauge.Kind);
        Assert.Equal("{order}", gauge.Unit);
        Assert.Equal(3.5, Assert.Single(Assert.Single(gauge.Series).Points).Value);

        var sum = telemetry.GetInstrument("ordering", "Shop.Ordering", "orders.placed");
        Assert.NotNull(sum);
        Assert.Equal(MetricKind.Sum, sum.Kind);
        Assert.True(sum.IsMonotonic);
        Assert.False(sum.IsCumulative);
        Assert.Equal("Orders placed", sum.Description);
        var series = Assert.Single(sum.Series);
        Assert.Equal("channel=web", series.Label);
        var point = Assert.Single(series.Points);
        Assert.Equal(7, point.Value);
        Assert.Equal(T0, point.Start);
        Assert.Equal(T0.AddSeconds(1), point.Time);

        var histogram = telemetry.GetInstrument("ordering", "Shop.Ordering", "http.server.request.duration");
        Assert.NotNull(histogram);
        Assert.Equal(MetricKind.Histogram, histogram.Kind);
        Assert.True(histogram.IsCumulative);
        var h = Assert.Single(Assert.Single(histogram.Series).Points);
        Assert.Equal(6UL, h.Count);
        Assert.Equal(1.5, h.Sum);
        Assert.Equal(0.01, h.Min);
        Assert.Equal(0.9, h.Max);
        Assert.Equal(new[] { 0.1, 0.5 }, h.ExplicitBounds);
        Assert.Equal(new[] { 3UL, 2UL, 1UL }, h.BucketCounts);
    }

    // ---- OTLP/HTTP ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task traces_logs_and_metrics_over_http_protobuf_land_in_the_store_with_their_values()
    {
        using var http = _host.Http();

        var traces = await PostAsync(http, "/v1/traces", SampleTraces(), ExportTraceServiceResponse.Parser);
        var logs = await PostAsync(http, "/v1/logs", SampleLogs(), ExportLogsServiceResponse.Parser);
        var metrics = await PostAsync(http, "/v1/metrics", SampleMetrics(), ExportMetricsServiceResponse.Parser);

        Assert.Null(traces.PartialSuccess); // fully accepted: left unset, as the protocol asks
        Assert.Null(logs.PartialSuccess);
        Assert.Null(metrics.PartialSuccess);
        AssertSampleTraceStored(_host.Telemetry);
        AssertSampleLogsStored(_host.Telemetry);
        AssertSampleMetricsStored(_host.Telemetry);
    }

    [Fact]
    public async Task a_span_encoded_by_hand_with_the_protocol_field_numbers_is_understood()
    {
        // Written with the wire facts of ASPIRE-CONTRACT §7, independently of our .proto files.
        static byte[] Message(Action<CodedOutputStream> write)
        {
            using var buffer = new MemoryStream();
            var output = new CodedOutputStream(buffer);
            write(output);
            output.Flush();
            return buffer.ToArray();
        }
        static void Bytes(CodedOutputStream o, int field, byte[] value)
        {
            o.WriteTag(field, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(value));
        }
        static void Text(CodedOutputStream o, int field, string value)
        {
            o.WriteTag(field, WireFormat.WireType.LengthDelimited);
            o.WriteString(value);
        }
        var keyValue = Message(o => { Text(o, 1, "service.name"); Bytes(o, 2, Message(v => Text(v, 1, "hand"))); });
        var resource = Message(o => Bytes(o, 1, keyValue));
        var status = Message(o => { Text(o, 2, "bad"); o.WriteTag(3, WireFormat.WireType.Varint); o.WriteEnum(2); });
        var span = Message(o =>
        {
            Bytes(o, 1, TraceId);
            Bytes(o, 2, ChildId);
            Bytes(o, 4, RootId);
            Text(o, 5, "by hand");
            o.WriteTag(6, WireFormat.WireType.Varint);
            o.WriteEnum(3);
            o.WriteTag(7, WireFormat.WireType.Fixed64);
            o.WriteFixed64(Nanos(T0));
            o.WriteTag(8, WireFormat.WireType.Fixed64);
            o.WriteFixed64(Nanos(T0.AddSeconds(2)));
            Bytes(o, 15, status);
        });
        var scopeSpans = Message(o => Bytes(o, 2, span));
        var resourceSpans = Message(o => { Bytes(o, 1, resource); Bytes(o, 2, scopeSpans); });
        var request = Message(o => Bytes(o, 1, resourceSpans));

        using var http = _host.Http();
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await http.PostAsync("/v1/traces", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(_host.Telemetry.GetTrace("0102030405060708090a0b0c0d0e0f10")!.Spans);
        Assert.Equal(("hand", "by hand", SpanKind.Client, SpanStatus.Error, "bad"), (stored.Source.Resource, stored.Name, stored.Kind, stored.Status, stored.StatusMessage));
        Assert.Equal(("b1b2b3b4b5b6b7b8", "a1a2a3a4a5a6a7a8"), (stored.SpanId, stored.ParentSpanId));
        Assert.Equal(TimeSpan.FromSeconds(2), stored.Duration);
    }

    [Fact]
    public async Task a_gzip_body_is_accepted()
    {
        using var http = _host.Http();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            SampleLogs().WriteTo(gzip);
        }
        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await http.PostAsync("/v1/logs", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSampleLogsStored(_host.Telemetry);
    }

    [Fact]
    public async Task malformed_bytes_get_400_problem_details_and_the_receiver_keeps_serving()
    {
        using var http = _host.Http();
        foreach (var path in new[] { "/v1/traces", "/v1/logs", "/v1/metrics" })
        {
            using var garbage = new ByteArrayContent([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]); // a length far beyond the body
            garbage.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await http.PostAsync(path, garbage, Ct);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
        }

        var after = await PostAsync(http, "/v1/traces", SampleTraces(), ExportTraceServiceResponse.Parser);
        Assert.Null(after.PartialSuccess);
        AssertSampleTraceStored(_host.Telemetry);
    }

    [Fact]
    public async Task other_content_types_get_415()
    {
        using var http = _host.Http();
        foreach (var type in new[] { "application/json", "text/plain", "application/octet-stream" })
        {
            using var response = await http.PostAsync("/v1/traces", Protobuf(SampleTraces(), type), Ct);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        }
        using var none = new ByteArrayContent(SampleTraces().ToByteArray());
        using var noType = await http.PostAsync("/v1/traces", none, Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noType.StatusCode);
        Assert.Equal(0, _host.Telemetry.GetCounts().Spans);
    }

    [Fact]
    public async Task a_body_over_the_limit_gets_413()
    {
        using var http = _host.Http();
        using var big = new ByteArrayContent(new byte[OtlpEndpoints.MaxMessageBytes + 1]);
        big.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");

        using var response = await http.PostAsync("/v1/logs", big, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var fresh = _host.Http(); // the server still answers (on a new connection: that one was not drained)
        await PostAsync(fresh, "/v1/logs", SampleLogs(), ExportLogsServiceResponse.Parser);
    }

    [Fact]
    public async Task a_missing_or_wrong_api_key_gets_401_over_http_and_nothing_is_stored()
    {
        using var noKey = _host.Http(apiKey: null);
        using var wrongKey = _host.Http(apiKey: "not-the-key");
        using var almost = _host.Http(apiKey: OtlpReceiverHost.ApiKey + "x");

        foreach (var client in new[] { noKey, wrongKey, almost })
        {
            using var response = await client.PostAsync("/v1/traces", Protobuf(SampleTraces()), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Equal(0, _host.Telemetry.GetCounts().Spans);
    }

    [Fact]
    public async Task invalid_ids_are_rejected_per_item_and_counted_in_partial_success()
    {
        var request = Traces("catalog",
            Span(TraceId, RootId, "good"),
            Span([1, 2, 3], RootId, "short trace id"),
            Span(TraceId, [1, 2, 3, 4, 5, 6, 7, 8, 9], "long span id"),
            Span(new byte[16], ChildId, "zero trace id"),
            Span(TraceId, ChildId, "bad parent", parent: [1, 2]));
        var logs = SampleLogs();
        logs.ResourceLogs[0].ScopeLogs[0].LogRecords[1].TraceId = ByteString.CopyFrom(1, 2, 3);
        using var http = _host.Http();

        var overHttp = await PostAsync(http, "/v1/traces", request, ExportTraceServiceResponse.Parser);
        using var channel = _host.Channel();
        var overGrpc = await ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channel, TraceService, request);
        var logResponse = await PostAsync(http, "/v1/logs", logs, ExportLogsServiceResponse.Parser);

        Assert.Equal(4, overHttp.PartialSuccess.RejectedSpans);
        Assert.Contains("trace_id", overHttp.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(4, overGrpc.PartialSuccess.RejectedSpans);
        Assert.Equal(1, logResponse.PartialSuccess.RejectedLogRecords);
        Assert.Equal("good", Assert.Single(_host.Telemetry.GetTrace("0102030405060708090a0b0c0d0e0f10")!.Spans).Name);
        Assert.Single(_host.Telemetry.GetLogs(new LogQuery()).Entries);
    }

    // ---- OTLP/gRPC ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task traces_logs_and_metrics_over_grpc_land_in_the_store_with_their_values()
    {
        using var channel = _host.Channel();

        var traces = await ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channel, TraceService, SampleTraces());
        var logs = await ExportAsync<ExportLogsServiceRequest, ExportLogsServiceResponse>(channel, LogsService, SampleLogs());
        var metrics = await ExportAsync<ExportMetricsServiceRequest, ExportMetricsServiceResponse>(channel, MetricsService, SampleMetrics());

        Assert.Null(traces.PartialSuccess);
        Assert.Null(logs.PartialSuccess);
        Assert.Null(metrics.PartialSuccess);
        AssertSampleTraceStored(_host.Telemetry);
        AssertSampleLogsStored(_host.Telemetry);
        AssertSampleMetricsStored(_host.Telemetry);
    }

    [Fact]
    public async Task a_missing_or_wrong_api_key_is_unauthenticated_over_grpc()
    {
        using var channel = _host.Channel();

        var missing = await Assert.ThrowsAsync<RpcException>(() => ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channel, TraceService, SampleTraces(), apiKey: null));
        var wrong = await Assert.ThrowsAsync<RpcException>(() => ExportAsync<ExportLogsServiceRequest, ExportLogsServiceResponse>(channel, LogsService, SampleLogs(), apiKey: "nope"));

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal(new TelemetryCounts(0, 0, 0, 0, 0, 0, 0), _host.Telemetry.GetCounts());
        // The same channel still works with the key.
        await ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channel, TraceService, SampleTraces());
        AssertSampleTraceStored(_host.Telemetry);
    }

    [Fact]
    public async Task malformed_grpc_message_fails_that_call_only()
    {
        using var channel = _host.Channel();
        var raw = new Method<byte[], byte[]>(MethodType.Unary, TraceService, "Export", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        var headers = new Metadata { { OtlpEndpoints.ApiKeyHeader, OtlpReceiverHost.ApiKey } };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(headers, cancellationToken: Ct), [0x0a, 0xff, 0xff, 0x7f]).ResponseAsync);

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        await ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channel, TraceService, SampleTraces());
        AssertSampleTraceStored(_host.Telemetry);
    }

    [Fact]
    public async Task the_opentelemetry_sdk_exporter_delivers_a_span_over_grpc_with_the_api_key_header()
    {
        var sourceName = $"Shop.Tests.Otlp.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("sdk-client", serviceInstanceId: "sdk-client-1"))
                   .AddSource(sourceName)
                   .AddOtlpExporter(o =>
                   {
                       o.Endpoint = new Uri(_host.GrpcUrl);
                       o.Protocol = OtlpExportProtocol.Grpc;
                       o.Headers = $"{OtlpEndpoints.ApiKeyHeader}={OtlpReceiverHost.ApiKey}";
                       o.ExportProcessorType = ExportProcessorType.Simple;
                   })
                   .Build())
        {
            using (var activity = source.StartActivity("sdk work", ActivityKind.Producer))
            {
                Assert.NotNull(activity);
                activity.SetTag("order.id", 42);
            }
            Assert.True(provider.ForceFlush(10_000));
        }

        var span = Assert.Single(_host.Telemetry.GetTraces(new TraceQuery { Resource = "sdk-client" }).Traces.SelectMany(t => t.Spans));
        Assert.Equal(new TelemetrySource("sdk-client", "sdk-client-1"), span.Source);
        Assert.Equal(("sdk work", SpanKind.Producer, sourceName), (span.Name, span.Kind, span.Scope));
        Assert.Equal("42", span.Attributes.ToDictionary()["order.id"]);
    }

    // ---- isolation and limits -----------------------------------------------------------------------------------

    [Fact]
    public async Task each_port_serves_only_its_own_surface()
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add(OtlpEndpoints.ApiKeyHeader, OtlpReceiverHost.ApiKey);

        // OTLP is not on the UI port, even with the key.
        using var onUi = await client.PostAsync($"{_host.UiUrl}/v1/traces", Protobuf(SampleTraces()), Ct);
        Assert.Equal(HttpStatusCode.NotFound, onUi.StatusCode);
        // The UI is not on the OTLP/HTTP port (the login page is anonymous on the UI port).
        using var loginOnUi = await client.GetAsync($"{_host.UiUrl}/login", Ct);
        Assert.Equal(HttpStatusCode.OK, loginOnUi.StatusCode);
        using var loginOnOtlp = await client.GetAsync($"{_host.HttpUrl}/login", Ct);
        Assert.Equal(HttpStatusCode.NotFound, loginOnOtlp.StatusCode);
        // The gRPC service is not on the OTLP/HTTP port, nor the UI on the gRPC port.
        using var channelOnHttpPort = GrpcChannel.ForAddress(_host.HttpUrl);
        var wrongPort = await Assert.ThrowsAnyAsync<RpcException>(() => ExportAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(channelOnHttpPort, TraceService, SampleTraces()));
        Assert.NotEqual(StatusCode.OK, wrongPort.StatusCode);
        using var h2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var loginOnGrpc = await h2.GetAsync($"{_host.GrpcUrl}/login", Ct);
        Assert.Equal(HttpStatusCode.NotFound, loginOnGrpc.StatusCode);
        // The UI itself still wants its cookie.
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var home = await noRedirect.GetAsync($"{_host.UiUrl}/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/login", home.Headers.Location?.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, _host.Telemetry.GetCounts().Spans);
    }

    [Fact]
    public async Task limits_drop_the_oldest_and_cut_attributes_and_events()
    {
        await using var host = await OtlpReceiverHost.StartAsync(new TelemetryLimits
        {
            MaxSpansPerResource = 3,
            MaxLogsPerResource = 2,
            MaxAttributeCount = 2,
            MaxAttributeLength = 5,
            MaxSpanEvents = 1,
        });
        using var http = host.Http();
        var spans = Enumerable.Range(1, 5).Select(i =>
        {
            var span = Span(Convert.FromHexString($"{i:x32}"), Convert.FromHexString($"{i:x16}"), $"span {i}", start: T0.AddSeconds(i));
            span.Attributes.Add(Kv("first", "0123456789"));
            span.Attributes.Add(Kv("second", "ok"));
            span.Attributes.Add(Kv("third", "dropped"));
            span.Events.Add(new OtlpPb.Trace.Span.Types.Event { Name = "kept" });
            span.Events.Add(new OtlpPb.Trace.Span.Types.Event { Name = "dropped" });
            return span;
        }).ToArray();
        var logs = SampleLogs();
        logs.ResourceLogs[0].ScopeLogs[0].LogRecords.Add(new OtlpPb.Logs.LogRecord { Body = new AnyValue { StringValue = "third" } });

        await PostAsync(http, "/v1/traces", Traces("catalog", spans[..2]), ExportTraceServiceResponse.Parser);
        await PostAsync(http, "/v1/traces", Traces("catalog", spans[2..]), ExportTraceServiceResponse.Parser);
        await PostAsync(http, "/v1/logs", logs, ExportLogsServiceResponse.Parser);

        var kept = host.Telemetry.GetTraces(new TraceQuery()).Traces.SelectMany(t => t.Spans).OrderBy(s => s.Start).ToList();
        Assert.Equal(new[] { "span 3", "span 4", "span 5" }, kept.Select(s => s.Name));
        Assert.All(kept, s => Assert.Equal(new KeyValuePair<string, string>[] { new("first", "01234"), new("second", "ok") }, s.Attributes));
        Assert.All(kept, s => Assert.Equal("kept", Assert.Single(s.Events).Name));
        Assert.Equal(new[] { "third", "no severity" }, host.Telemetry.GetLogs(new LogQuery()).Entries.Select(l => l.Message));
        var counts = host.Telemetry.GetCounts();
        Assert.Equal((3, 2, 1), (counts.Spans, counts.SpansDropped, counts.LogsDropped));
    }

    // ---- conversion details -------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0, LogSeverity.Information)]
    [InlineData(1, LogSeverity.Trace)]
    [InlineData(4, LogSeverity.Trace)]
    [InlineData(5, LogSeverity.Debug)]
    [InlineData(8, LogSeverity.Debug)]
    [InlineData(9, LogSeverity.Information)]
    [InlineData(12, LogSeverity.Information)]
    [InlineData(13, LogSeverity.Warning)]
    [InlineData(16, LogSeverity.Warning)]
    [InlineData(17, LogSeverity.Error)]
    [InlineData(20, LogSeverity.Error)]
    [InlineData(21, LogSeverity.Critical)]
    [InlineData(24, LogSeverity.Critical)]
    [InlineData(99, LogSeverity.Information)]
    public void severity_numbers_map_by_range(int number, LogSeverity expected)
        => Assert.Equal(expected, OtlpConverter.ToSeverity(number));

    [Fact]
    public void a_resource_without_a_service_name_is_unknown_service()
    {
        Assert.Equal(new TelemetrySource("unknown_service", "unknown_service"), OtlpConverter.SourceOf(null));
        Assert.Equal(new TelemetrySource("unknown_service", "i-1"), OtlpConverter.SourceOf(new OtlpPb.Resource.Resource { Attributes = { Kv("service.instance.id", "i-1") } }));
    }

    [Fact]
    public void repeated_texts_and_ids_are_kept_once_and_unchanged()
    {
        var limits = new TelemetryLimits();
        var spans = Enumerable.Range(0, 3).Select(_ => OtlpConverter.ConvertTraces(SampleTraces(), limits).Items).ToList();

        // Three decodings of the same bytes: equal values, and from the second sighting on the same instances.
        Assert.All(spans, batch => Assert.Equal(spans[0].Select(s => (s.TraceId, s.SpanId, s.Name)), batch.Select(s => (s.TraceId, s.SpanId, s.Name))));
        Assert.Equal(spans[0][0].Attributes, spans[2][0].Attributes);
        Assert.Same(spans[1][0].Attributes[0].Key, spans[2][0].Attributes[0].Key);
        Assert.Same(spans[1][0].Attributes[0].Value, spans[2][0].Attributes[0].Value);
        Assert.Same(spans[2][0].SpanId, spans[2][1].ParentSpanId); // a child names its parent with the parent's own id string
        Assert.Same(spans[2][0].TraceId, spans[2][1].TraceId);
    }

    [Fact]
    public void unsupported_metric_types_are_counted_as_rejected_and_empty_values_are_skipped()
    {
        var request = SampleMetrics();
        var scope = request.ResourceMetrics[0].ScopeMetrics[0];
        scope.Metrics.Add(new OtlpPb.Metrics.Metric
        {
            Name = "exp",
            ExponentialHistogram = new OtlpPb.Metrics.ExponentialHistogram { DataPoints = { new OtlpPb.Metrics.ExponentialHistogramDataPoint(), new OtlpPb.Metrics.ExponentialHistogramDataPoint() } },
        });
        scope.Metrics.Add(new OtlpPb.Metrics.Metric
        {
            Name = "bad-buckets",
            Histogram = new OtlpPb.Metrics.Histogram { DataPoints = { new OtlpPb.Metrics.HistogramDataPoint { ExplicitBounds = { 1, 2 }, BucketCounts = { 1 } } } },
        });

        var result = OtlpConverter.ConvertMetrics(request, new TelemetryLimits());

        Assert.Equal(3, result.Rejected);
        Assert.Contains("exponential", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, Assert.Single(result.Items).Updates.Count);
    }
}
