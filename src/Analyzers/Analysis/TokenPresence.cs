using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A cheap, conservative answer to "can a cancellation token be in scope anywhere in this member?", so that rules which
/// need a token (GS0005) leave at once in the many members that have none, without looking at the call. A token can
/// come from a field or property of the type (<see cref="TypeTokenMembers"/>), a parameter of the member, or a local or
/// lambda / local-function parameter declared in its body; the last are recorded by operation actions on declarations,
/// which the driver runs before the operations that follow them in the same body (it visits a body's operations in
/// order). One instance serves one compilation's analysis; compilation-level actions are used because a symbol-start
/// action per type makes the driver allocate about 10 MB more on a 90,000-line project.
/// </summary>
public sealed class TokenPresence
{
    private readonly KnownTypes _types;
    private readonly ConcurrentDictionary<ISymbol, bool> _membersWithDeclaredTokens = new(SymbolEqualityComparer.Default);
    private int _declaredCount;
    private readonly LastEntry<ISymbol, bool> _lastMember = new();
    private readonly LastEntry<INamedTypeSymbol, bool> _lastType = new();

    private TokenPresence(KnownTypes types) => _types = types;

    /// <summary>Creates the state for one compilation and registers the declaration actions that feed it.</summary>
    public static TokenPresence Register(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var presence = new TokenPresence(types);
        context.RegisterOperationAction(presence.OnDeclarator, OperationKind.VariableDeclarator);
        context.RegisterOperationAction(presence.OnFunction, OperationKind.AnonymousFunction, OperationKind.LocalFunction);
        return presence;
    }

    /// <summary>False when no token can be in scope anywhere in <paramref name="containingSymbol"/>'s body so far.</summary>
    public bool MayHaveToken(ISymbol containingSymbol)
    {
        if (!_lastMember.TryGet(containingSymbol, out var mayHave))
        {
            mayHave = HasTokenParameter(containingSymbol) || TypeHasTokens(containingSymbol.ContainingType);
            _lastMember.Set(containingSymbol, mayHave);
        }

        return mayHave
            || (Volatile.Read(ref _declaredCount) > 0 && _membersWithDeclaredTokens.ContainsKey(containingSymbol));
    }

    private void OnDeclarator(OperationAnalysisContext context)
    {
        var declarator = (IVariableDeclaratorOperation)context.Operation;
        if (TokenScope.IsTokenOrSource(declarator.Symbol.Type, _types))
        {
            MarkDeclared(context.ContainingSymbol);
        }
    }

    private void OnFunction(OperationAnalysisContext context)
    {
        var function = context.Operation switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            ILocalFunctionOperation local => local.Symbol,
            _ => null,
        };

        if (function is not null && HasTokenParameter(function))
        {
            MarkDeclared(context.ContainingSymbol);
        }
    }

    private void MarkDeclared(ISymbol member)
    {
        if (_membersWithDeclaredTokens.TryAdd(member, true))
        {
            Interlocked.Increment(ref _declaredCount);
        }
    }

    private bool TypeHasTokens(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        // Members of one type come one after the other.
        if (!_lastType.TryGet(type, out var hasTokens))
        {
            hasTokens = !TypeTokenMembers.Get(type, _types).IsEmpty;
            _lastType.Set(type, hasTokens);
        }

        return hasTokens;
    }

    private bool HasTokenParameter(ISymbol symbol)
    {
        if (symbol is not IMethodSymbol method)
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (TokenScope.IsTokenOrSource(parameter.Type, _types))
            {
                return true;
            }
        }

        return false;
    }
}
