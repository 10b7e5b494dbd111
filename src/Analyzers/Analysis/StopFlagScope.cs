using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// Where GS0007 looks for the uses of a method that may be an event handler
/// (<see cref="StopFlagExemptions.IsRaisedByLoop"/>): the operation block of a captured local's member, or the blocks of
/// a flag's type that name the method, bound only when asked (<see cref="StopFlagTypeBlocks"/>).
/// </summary>
public sealed class StopFlagScope
{
    public static StopFlagScope Empty => new(ImmutableArray<IOperation>.Empty, null);

    private readonly ImmutableArray<IOperation> _blocks;
    private readonly StopFlagTypeBlocks? _type;

    private StopFlagScope(ImmutableArray<IOperation> blocks, StopFlagTypeBlocks? type)
    {
        _blocks = blocks;
        _type = type;
    }

    public static StopFlagScope Of(IOperation block) => new(ImmutableArray.Create(block), null);

    internal static StopFlagScope Of(StopFlagTypeBlocks type) => new(ImmutableArray<IOperation>.Empty, type);

    /// <summary>Every block of the scope in which <paramref name="name"/> may be used (all of them for a single block).</summary>
    public IEnumerable<IOperation> BlocksNaming(string name) =>
        _type is { } type ? type.BlocksNaming(name) : _blocks;
}
