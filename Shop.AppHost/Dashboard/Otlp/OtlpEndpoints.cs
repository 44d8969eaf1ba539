using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Logs;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Metrics;
using Shop.AppHost.Dashboard.Otlp.Proto.Collector.Trace;

namespace Shop.AppHost.Dashboard.Otlp;

/// <summary>Which of the dashboard's listeners a connection came in on.</summary>
public enum DashboardEndpointKind
{
    Frontend,
    OtlpGrpc,
    OtlpHttp,
}

/// <summary>Set on every connection by the listener's connection middleware (as Aspire tags its connection types).</summary>
internal sealed record DashboardEndpointFeature(DashboardEndpointKind Kind);

/// <summary>
/// The OTLP receiver's endpoints. Each listener serves only its own surface: the UI port has no OTLP, the OTLP ports
/// have neither the UI nor each other's protocol, whatever the path; that is decided per connection (not by Host), so it
/// also holds for port 0. OTLP needs the API key (header <c>x-otlp-api-key</c>, as Aspire's ApiKey mode), never the
/// browser cookie; it is checked before a body is read.
/// </summary>
public static class OtlpEndpoints
{
    public const string ApiKeyHeader = "x-otlp-api-key";

    /// <summary>
    /// The largest export accepted, over either transport (after gzip). An SDK batch is at most 512 items; with the
    /// dashboard's attribute limits a realistic one is well under 1 MiB, and one full of exception stack traces a few MiB.
    /// 16 MiB leaves room for that without letting one request hold a large share of the &lt;300 MB the dashboard aims
    /// for (the parsed form takes several times the bytes). gRPC's own default (4 MB) is too tight for such batches.
    /// </summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;

    private const string GrpcPathPrefix = "/opentelemetry.proto.collector.";
    private static readonly string[] HttpPaths = ["/v1/traces", "/v1/logs", "/v1/metrics"];

    /// <summary>Tags the connections of one listener.</summary>
    public static ListenOptions UseDashboardEndpointKind(this ListenOptions listen, DashboardEndpointKind kind)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var feature = new DashboardEndpointFeature(kind);
        listen.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
        return listen;
    }

    public static IServiceCollection AddOtlpReceiver(this IServiceCollection services)
    {
        services.AddSingleton<OtlpReceiver>();
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = MaxMessageBytes;
            o.EnableDetailedErrors = false;
        });
        return services;
    }

    /// <summary>Constant time whatever the candidate: both sides are hashed first, so neither content nor length leaks.</summary>
    public static bool IsValidApiKey(string expected, string? candidate)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (string.IsNullOrEmpty(candidate))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));
    }

    /// <summary>First in the pipeline: keeps each listener to its own surface and checks the OTLP API key.</summary>
    public static IApplicationBuilder UseDashboardEndpointIsolation(this IApplicationBuilder app, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            var kind = context.Features.Get<DashboardEndpointFeature>()?.Kind ?? DashboardEndpointKind.Frontend;
            var path = context.Request.Path.Value ?? "";
            var grpcPath = path.StartsWith(GrpcPathPrefix, StringComparison.Ordinal);
            var httpPath = HttpPaths.Contains(path, StringComparer.OrdinalIgnoreCase);
            switch (kind)
            {
                case DashboardEndpointKind.Frontend when grpcPath || httpPath:
                case DashboardEndpointKind.OtlpGrpc when !grpcPath:
                case DashboardEndpointKind.OtlpHttp when !httpPath:
                    context.Response.StatusCode = StatusCodes.Status404NotFound; // a gRPC client reads 404 as Unimplemented
                    return;
                case DashboardEndpointKind.OtlpGrpc when apiKey is not null && !IsValidApiKey(apiKey, context.Request.Headers[ApiKeyHeader]):
                    // A trailers-only gRPC response: HTTP 200, grpc-status 16 (Unauthenticated) in the headers, no body.
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = "application/grpc";
                    context.Response.Headers["grpc-status"] = "16";
                    context.Response.Headers["grpc-message"] = $"Missing or invalid {ApiKeyHeader} header.";
                    return;
                case DashboardEndpointKind.OtlpHttp when apiKey is not null && !IsValidApiKey(apiKey, context.Request.Headers[ApiKeyHeader]):
                    await ProblemAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", $"Missing or invalid {ApiKeyHeader} header.").ConfigureAwait(false);
                    return;
                default:
                    await next(context).ConfigureAwait(false);
                    return;
            }
        });
    }

    /// <summary>The three gRPC services and the three OTLP/HTTP routes; anonymous as far as the cookie goes (the key is checked above).</summary>
    public static void MapOtlpEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcService<OtlpGrpcTraceService>().AllowAnonymous();
        endpoints.MapGrpcService<OtlpGrpcLogsService>().AllowAnonymous();
        endpoints.MapGrpcService<OtlpGrpcMetricsService>().AllowAnonymous();

        endpoints.MapPost("/v1/traces", context => HandleAsync(context, ExportTraceServiceRequest.Parser, (r, q) => r.Export(q))).AllowAnonymous();
        endpoints.MapPost("/v1/logs", context => HandleAsync(context, ExportLogsServiceRequest.Parser, (r, q) => r.Export(q))).AllowAnonymous();
        endpoints.MapPost("/v1/metrics", context => HandleAsync(context, ExportMetricsServiceRequest.Parser, (r, q) => r.Export(q))).AllowAnonymous();
    }

    private static async Task HandleAsync<TRequest, TResponse>(HttpContext context, MessageParser<TRequest> parser, Func<OtlpReceiver, TRequest, TResponse> export)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            await ProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                "OTLP/HTTP requests must be protobuf (Content-Type: application/x-protobuf).").ConfigureAwait(false);
            return;
        }
        var (body, status, detail) = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            await ProblemAsync(context, status, status == StatusCodes.Status413PayloadTooLarge ? "Payload Too Large" : "Bad Request", detail).ConfigureAwait(false);
            return;
        }
        TRequest request;
        try
        {
            request = parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "Bad Request", $"The body is not a valid OTLP protobuf message: {ex.Message}").ConfigureAwait(false);
            return;
        }
        var response = export(context.RequestServices.GetRequiredService<OtlpReceiver>(), request);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(response.ToByteArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<(byte[]? Body, int Status, string Detail)> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var tooLarge = (default(byte[]), StatusCodes.Status413PayloadTooLarge, $"The body exceeds {MaxMessageBytes / (1024 * 1024)} MiB.");
        if (request.ContentLength > MaxMessageBytes)
        {
            return tooLarge;
        }
        var encoding = request.Headers.ContentEncoding.ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, $"Content-Encoding '{encoding}' is not supported (gzip is).");
        }
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var unzip = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
            try
            {
                var source = unzip ?? request.Body;
                using var buffer = new MemoryStream(gzip ? 64 * 1024 : (int)Math.Min(request.ContentLength ?? 64 * 1024, MaxMessageBytes));
                int read;
                while ((read = await source.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > MaxMessageBytes)
                    {
                        return tooLarge;
                    }
                    buffer.Write(chunk, 0, read);
                }
                return (buffer.ToArray(), StatusCodes.Status200OK, "");
            }
            finally
            {
                if (unzip is not null)
                {
                    await unzip.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            return (null, StatusCodes.Status400BadRequest, $"The gzip body could not be decompressed: {ex.Message}");
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            return (null, ex.StatusCode, ex.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static Task ProblemAsync(HttpContext context, int status, string title, string detail)
        => TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);
}
