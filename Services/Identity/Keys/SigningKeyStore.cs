using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Shop.Identity.Data;

namespace Shop.Identity.Keys;

/// <summary>
/// The ES256 keys kept in identitydb, cached in memory: the newest active key signs, every active key validates and is
/// published. Each replica reloads the set in the background every <see cref="MaxAge"/>, and at once when a token names
/// a key it has not loaded yet (one another replica just created), so rotation needs neither a restart nor coordination.
/// </summary>
/// <remarks>
/// Requests never wait on a routine reload: they get the cached set while it refreshes, so an unreachable database
/// cannot stall token issuing or validation (the retry strategy can take a minute to give up).
/// </remarks>
public sealed partial class SigningKeyStore(IServiceScopeFactory scopeFactory, TimeProvider time, ILogger<SigningKeyStore> logger)
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    // Bounds the reloads that a stream of tokens with made-up key ids can cause.
    private static readonly TimeSpan MinReloadInterval = TimeSpan.FromSeconds(5);

    // How long a request bearing an unknown kid waits for the reload before it is validated with what is loaded.
    private static readonly TimeSpan UnknownKidWait = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private readonly Lock _backgroundReloadLock = new();

    // A key never changes once created, so each is imported once however often the set is reloaded.
    private readonly ConcurrentDictionary<string, LoadedKey> _imported = new(StringComparer.Ordinal);

    private KeySet? _current;
    private Task? _backgroundReload;

    public async ValueTask<KeySet> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is not { } current)
        {
            return await ReloadAsync(cancellationToken);
        }
        if (time.GetUtcNow() - current.LoadedAt >= MaxAge)
        {
            _ = StartBackgroundReload();
        }
        return current;
    }

    /// <summary>Reloads the set when <paramref name="kid"/> is not in it, unless it was loaded moments ago.</summary>
    public async ValueTask EnsureKnownAsync(string kid, CancellationToken cancellationToken)
    {
        var current = await GetAsync(cancellationToken);
        if (current.Contains(kid) || time.GetUtcNow() - current.LoadedAt < MinReloadInterval)
        {
            return;
        }
        try
        {
            await StartBackgroundReload().WaitAsync(UnknownKidWait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Validation goes on with the loaded keys; the reload finishes for the requests after this one.
        }
    }

    /// <summary>Adds a key that signs from now on; older active keys stay published, so their tokens keep validating.</summary>
    public async Task<KeySet> RotateAsync(IdentityDbContext db, CancellationToken cancellationToken)
    {
        var key = CreateKey(time.GetUtcNow());
        db.SigningKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        var keys = await ReloadAsync(cancellationToken);
        return keys.Signing.Kid == key.Kid
            ? keys
            : throw new InvalidOperationException($"Signing key {key.Kid} was saved but is not signing yet; the next reload picks it up.");
    }

    /// <summary>Creates the first key of a fresh database; returns its kid, or null when an active key exists.</summary>
    /// <remarks>Callers serialise replicas; a race would only leave two valid keys, both published.</remarks>
    public static async Task<string?> EnsureSigningKeyAsync(IdentityDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.SigningKeys.AnyAsync(k => k.IsActive, cancellationToken))
        {
            return null;
        }
        var key = CreateKey(now);
        db.SigningKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return key.Kid;
    }

    public static SigningKey CreateKey(DateTimeOffset now)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new SigningKey
        {
            // RFC 7638 thumbprint: derived from the public key, so it is unique and says nothing else.
            Kid = Base64UrlEncoder.Encode(new ECDsaSecurityKey(ecdsa).ComputeJwkThumbprint()),
            PrivateKeyPkcs8 = ecdsa.ExportPkcs8PrivateKey(),
            CreatedAt = now,
            IsActive = true,
        };
    }

    private Task StartBackgroundReload()
    {
        lock (_backgroundReloadLock)
        {
            if (_backgroundReload is not { IsCompleted: false })
            {
                _backgroundReload = Task.Run(async () =>
                {
                    try
                    {
                        await ReloadAsync(CancellationToken.None);
                    }
                    catch (Exception ex)
                    {
                        // Keys change rarely: keep signing and validating with the loaded set, and retry after MaxAge.
                        LogReloadFailed(logger, ex);
                        var current = Volatile.Read(ref _current)!;
                        Volatile.Write(ref _current, new KeySet(current.Published, time.GetUtcNow()));
                    }
                });
            }
            return _backgroundReload;
        }
    }

    private async Task<KeySet> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            var rows = await db.SigningKeys.AsNoTracking()
                .Where(k => k.IsActive)
                .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Kid)
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                throw new InvalidOperationException("identitydb has no active signing key; the start-up initializer creates one.");
            }

            var loaded = new KeySet([.. rows.Select(row => _imported.GetOrAdd(row.Kid, _ => LoadedKey.Import(row)))], time.GetUtcNow());
            Volatile.Write(ref _current, loaded);
            return loaded;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    // The exception is about the database query; key material never reaches a message.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading signing keys failed; keeping the keys loaded before")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}

/// <summary>A snapshot of the active keys, newest first.</summary>
public sealed class KeySet(IReadOnlyList<LoadedKey> keys, DateTimeOffset loadedAt)
{
    public LoadedKey Signing => keys[0];

    public IReadOnlyList<LoadedKey> Published => keys;

    /// <summary>Public halves only: what validation needs, and all it can ever reveal.</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys { get; } = [.. keys.Select(k => k.PublicKey)];

    public DateTimeOffset LoadedAt => loadedAt;

    public bool Contains(string kid) => keys.Any(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));
}

/// <summary>One imported key. The private half lives only inside <see cref="Credentials"/>.</summary>
public sealed class LoadedKey
{
    private LoadedKey(string kid, DateTimeOffset createdAt, SigningCredentials credentials, ECDsaSecurityKey publicKey, string x, string y)
    {
        Kid = kid;
        CreatedAt = createdAt;
        Credentials = credentials;
        PublicKey = publicKey;
        X = x;
        Y = y;
    }

    public string Kid { get; }

    public DateTimeOffset CreatedAt { get; }

    public SigningCredentials Credentials { get; }

    public ECDsaSecurityKey PublicKey { get; }

    /// <summary>Base64url affine coordinates of the public point, as the JWKS publishes them.</summary>
    public string X { get; }

    public string Y { get; }

    public static LoadedKey Import(SigningKey row)
    {
        var privateKey = ECDsa.Create();
        privateKey.ImportPkcs8PrivateKey(row.PrivateKeyPkcs8, out _);
        var publicParameters = privateKey.ExportParameters(includePrivateParameters: false);
        if (publicParameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new InvalidOperationException($"Signing key '{row.Kid}' is not a P-256 key.");
        }

        return new LoadedKey(
            row.Kid,
            row.CreatedAt,
            new SigningCredentials(new ECDsaSecurityKey(privateKey) { KeyId = row.Kid }, SigningKeyStore.Algorithm),
            new ECDsaSecurityKey(ECDsa.Create(publicParameters)) { KeyId = row.Kid },
            Base64UrlEncoder.Encode(publicParameters.Q.X),
            Base64UrlEncoder.Encode(publicParameters.Q.Y));
    }
}
