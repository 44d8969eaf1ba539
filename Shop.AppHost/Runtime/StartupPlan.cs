using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Shop.AppHost.Runtime;

/// <summary>
/// The order resources start in, derived from WaitFor and parent relations. Independent resources share a level
/// and start in parallel; stopping walks the levels backwards. A cycle is refused with its path.
/// </summary>
internal sealed class StartupPlan
{
    private StartupPlan(IReadOnlyList<IReadOnlyList<IResource>> levels, IReadOnlyDictionary<IResource, IReadOnlyList<IResource>> dependencies)
    {
        Levels = levels;
        Dependencies = dependencies;
    }

    /// <summary>Level 0 depends on nothing; level n only on lower levels.</summary>
    public IReadOnlyList<IReadOnlyList<IResource>> Levels { get; }

    /// <summary>What each resource waits for before it starts.</summary>
    public IReadOnlyDictionary<IResource, IReadOnlyList<IResource>> Dependencies { get; }

    public IEnumerable<IResource> StartOrder => Levels.SelectMany(l => l);

    public IEnumerable<IResource> StopOrder => Levels.Reverse().SelectMany(l => l);

    public static IReadOnlyList<IResource> DependenciesOf(IResource resource)
    {
        var deps = resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource).ToList();
        if (resource is IResourceWithParent p)
        {
            deps.Insert(0, p.Parent);
        }
        return [.. deps.Distinct()];
    }

    public static StartupPlan Create(IEnumerable<IResource> resources)
    {
        var all = resources.ToList();
        var deps = all.ToDictionary(r => r, DependenciesOf);
        foreach (var (resource, list) in deps)
        {
            if (list.FirstOrDefault(d => !deps.ContainsKey(d)) is { } missing)
            {
                throw new DistributedApplicationException($"Resource '{resource.Name}' waits for '{missing.Name}', which is not part of the app model.");
            }
            if (list.Contains(resource))
            {
                throw new DistributedApplicationException($"Resource '{resource.Name}' waits for itself.");
            }
        }

        var level = new Dictionary<IResource, int>();
        var visiting = new List<IResource>();
        int Visit(IResource r)
        {
            if (level.TryGetValue(r, out var l))
            {
                return l;
            }
            var at = visiting.IndexOf(r);
            if (at >= 0)
            {
                var cycle = visiting.Skip(at).Append(r).Select(x => x.Name);
                throw new DistributedApplicationException($"The app model has a dependency cycle: {string.Join(" -> ", cycle)}. WaitFor cannot be satisfied.");
            }
            visiting.Add(r);
            var mine = deps[r].Count == 0 ? 0 : deps[r].Max(Visit) + 1;
            visiting.RemoveAt(visiting.Count - 1);
            level[r] = mine;
            return mine;
        }
        foreach (var r in all)
        {
            Visit(r);
        }

        var levels = all.GroupBy(r => level[r]).OrderBy(g => g.Key).Select(g => (IReadOnlyList<IResource>)[.. g]).ToList();
        return new StartupPlan(levels, deps);
    }
}
