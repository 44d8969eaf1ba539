namespace Shop.Contracts;

/// <summary>
/// Catalog's current version, for anyone who caches its reads: a random token in Redis that catalog replaces after
/// every committed product write. An entry cached under one token is never served once the token has changed.
/// </summary>
public static class CatalogVersion
{
    /// <summary>The Redis key holding the token (a string; absent until catalog's first read or write).</summary>
    public const string RedisKey = "catalog:version";
}
