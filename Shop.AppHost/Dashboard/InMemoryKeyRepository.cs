using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Shop.AppHost.Dashboard;

/// <summary>
/// Keeps data-protection keys (auth cookie, antiforgery, circuit ids) in memory: they only need to live as long as
/// the AppHost, whose browser token changes every run anyway, and nothing is written under the user's profile.
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly ConcurrentQueue<XElement> _elements = new();

    public IReadOnlyCollection<XElement> GetAllElements() => [.. _elements.Select(e => new XElement(e))];

    public void StoreElement(XElement element, string friendlyName) => _elements.Enqueue(new XElement(element));
}
