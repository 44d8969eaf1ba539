using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Shop.AppHost.Dashboard.Otlp;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;
using Shop.AppHost.Dashboard.Telemetry;
using SpanKind = Shop.AppHost.Dashboard.Telemetry.SpanKind;
using StatusCode = Grpc.Core.StatusCode;

namespace Shop.Tests.Dashboard;

/// <summary>OTLP/HTTP (protobuf): what lands, gzip, and the 400/401/413/415 answers.</summary>
public sealed class OtlpHttpTests : OtlpReceiverTestBase
{
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
}
