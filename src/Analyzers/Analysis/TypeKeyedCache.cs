using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The per-compilation caches keyed by type (a type's flag model, its token members, its inheritable flags), each
/// filled by the callbacks of every core at once. Sized for the compilation's types up front: a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> that grows takes all its locks while it rehashes, and a sampled
/// profile of Markdig and YamlDotNet (issue 19) showed the other core's callbacks spinning on those locks.
/// </summary>
internal static class TypeKeyedCache
{
    private const int LockCount = 32;

    public static ConcurrentDictionary<INamedTypeSymbol, TValue> Create<TValue>(Compilation compilation)
    {
        // TypeNames holds each name once (overloads by arity and namespace share it) and not the metadata base types a
        // cache may also hold: twice as many buckets as names leave room for both. More locks than a build machine has
        // cores (analyzers may not read the environment to know how many).
        var capacity = Math.Max(64, 2 * compilation.Assembly.TypeNames.Count);
        return new ConcurrentDictionary<INamedTypeSymbol, TValue>(LockCount, capacity, SymbolEqualityComparer.Default);
    }
}
