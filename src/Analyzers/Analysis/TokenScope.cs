using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>Where a token in scope is declared.</summary>
public enum TokenOrigin
{
    /// <summary>A parameter of the method, lambda or local function (possibly an enclosing one).</summary>
    Parameter,

    /// <summary>A local variable declared before the point of use (possibly in an enclosing method).</summary>
    Local,

    /// <summary>A field of the containing type or an accessible field of a base type.</summary>
    Field,

    /// <summary>A readable property of the containing type or an accessible property of a base type.</summary>
    Property,
}

/// <summary>
/// A cancellation token usable at some point of the code: a <c>CancellationToken</c>, or a
/// <c>CancellationTokenSource</c> whose <c>.Token</c> is the token (<see cref="IsSource"/>).
/// </summary>
public readonly struct TokenInScope
{
    public TokenInScope(ISymbol symbol, TokenOrigin origin, bool isSource, bool isCaptured, bool isStoppingToken, bool mayBeNull, string access)
        : this(symbol, origin, isSource, isCaptured, isStoppingToken, mayBeNull, access, accessText: null, containingType: null)
    {
    }

    private TokenInScope(
        ISymbol symbol,
        TokenOrigin origin,
        bool isSource,
        bool isCaptured,
        bool isStoppingToken,
        bool mayBeNull,
        string? access,
        MemberAccessText? accessText,
        INamedTypeSymbol? containingType)
    {
        Symbol = symbol;
        Origin = origin;
        IsSource = isSource;
        IsCaptured = isCaptured;
        IsStoppingToken = isStoppingToken;
        MayBeNull = mayBeNull;
        _access = access;
        _accessText = accessText;
        _containingType = containingType;
    }

    // A member's C# is worked out each time it is asked for (a report or a fix; read it once): finding whether a local
    // hides the member takes a symbol lookup, and most tokens collected are never written out.
    private readonly string? _access;
    private readonly MemberAccessText? _accessText;
    private readonly INamedTypeSymbol? _containingType;

    /// <summary>A field or property of <paramref name="containingType"/>, whose C# is worked out when first asked for.</summary>
    internal static TokenInScope ForMember(TokenMember member, INamedTypeSymbol containingType, MemberAccessText accessText) =>
        new(member.Member, member.Origin, member.IsSource, isCaptured: false, isStoppingToken: false, member.MayBeNull, access: null, accessText, containingType);

    /// <summary>The parameter, local, field or property.</summary>
    public ISymbol Symbol { get; }

    public TokenOrigin Origin { get; }

    /// <summary>The symbol is a <c>CancellationTokenSource</c>: the token is its <c>.Token</c>.</summary>
    public bool IsSource { get; }

    /// <summary>A parameter or local of an enclosing method, used from inside a lambda or local function.</summary>
    public bool IsCaptured { get; }

    /// <summary>The <c>stoppingToken</c> parameter of a <c>BackgroundService.ExecuteAsync</c> override.</summary>
    public bool IsStoppingToken { get; }

    /// <summary>A token source declared with a nullable type (<c>CancellationTokenSource?</c>).</summary>
    public bool MayBeNull { get; }

    /// <summary>C# for the token: <c>cancellationToken</c>, <c>_cts.Token</c>, <c>this.Token</c>.</summary>
    public string Expression => IsSource ? CheckExpression + ".Token" : CheckExpression;

    /// <summary>C# for something with <c>IsCancellationRequested</c>: the token, or the source itself (<c>_cts</c>).</summary>
    public string CheckExpression => _access ?? _accessText?.For(Symbol, _containingType!) ?? string.Empty;

    public string Name => Symbol.Name;

    public bool IsValid => Symbol is not null;
}

/// <summary>
/// The tokens in scope at an operation, ordered by preference: innermost parameter first, then locals (nearest
/// first), then fields and properties of the containing type (declaration order, then base types).
/// </summary>
public static class TokenScope
{
    /// <summary>Every token usable at <paramref name="operation"/>, best first.</summary>
    /// <param name="operation">The point of use (a loop, a call...).</param>
    /// <param name="containingSymbol">The member whose body holds the operation (<c>OperationAnalysisContext.ContainingSymbol</c>).</param>
    /// <param name="types">The compilation's known types.</param>
    public static ImmutableArray<TokenInScope> GetTokens(IOperation operation, ISymbol? containingSymbol, KnownTypes types)
    {
        if (types.CancellationToken is null)
        {
            return ImmutableArray<TokenInScope>.Empty;
        }

        var collector = new Collector(types, operation.Syntax.SpanStart, operation.SemanticModel);
        collector.Walk(operation, containingSymbol);
        return collector.ToImmutable();
    }

    /// <summary>The preferred token at <paramref name="operation"/>, if any.</summary>
    public static bool TryGetPreferred(IOperation operation, ISymbol? containingSymbol, KnownTypes types, out TokenInScope token)
    {
        var tokens = GetTokens(operation, containingSymbol, types);
        token = tokens.IsEmpty ? default : tokens[0];
        return !tokens.IsEmpty;
    }

    /// <summary>Whether any token is usable at <paramref name="operation"/>.</summary>
    public static bool HasAny(IOperation operation, ISymbol? containingSymbol, KnownTypes types) =>
        !GetTokens(operation, containingSymbol, types).IsEmpty;

    /// <summary>Whether <paramref name="type"/> is <c>CancellationToken</c> (or <c>CancellationToken?</c>).</summary>
    public static bool IsToken(ITypeSymbol? type, KnownTypes types) =>
        type is not null && types.CancellationToken is { } token && SymbolEqualityComparer.Default.Equals(type, token);

    /// <summary>Whether <paramref name="type"/> is a token or a token source (the class test first: most types are neither).</summary>
    public static bool IsTokenOrSource(ITypeSymbol? type, KnownTypes types) =>
        type is not null
        && (IsToken(type, types) || (type.TypeKind == TypeKind.Class && type.SpecialType == SpecialType.None && IsSource(type, types)));

    /// <summary>Whether <paramref name="type"/> is <c>CancellationTokenSource</c> or derives from it.</summary>
    public static bool IsSource(ITypeSymbol? type, KnownTypes types)
    {
        if (types.CancellationTokenSource is not { } source)
        {
            return false;
        }

        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, source))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="method"/> overrides <c>BackgroundService.ExecuteAsync</c>.</summary>
    public static bool IsExecuteAsyncOverride(IMethodSymbol method, KnownTypes types)
    {
        if (method.Name != "ExecuteAsync" || !method.IsOverride)
        {
            return false;
        }

        for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (types.BackgroundService is { } backgroundService
                ? SymbolEqualityComparer.Default.Equals(overridden.ContainingType, backgroundService)
                : overridden.ContainingType?.Name == "BackgroundService")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An identifier as C# source (<c>@event</c> for a keyword).</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private sealed class Collector
    {
        private readonly KnownTypes _types;
        private readonly int _position;
        private readonly SemanticModel? _model;
        private ImmutableArray<TokenInScope>.Builder? _parameters;
        private ImmutableArray<TokenInScope>.Builder? _locals;
        private ImmutableArray<TokenInScope>.Builder? _members;

        public Collector(KnownTypes types, int position, SemanticModel? model)
        {
            _types = types;
            _position = position;
            _model = model;
        }

        public void Walk(IOperation operation, ISymbol? containingSymbol)
        {
            var captured = false;
            var cutOff = false; // a static lambda or local function: no outer locals or parameters, no 'this'
            IOperation? previous = null;
            for (var current = operation; current is not null; previous = current, current = current.Parent)
            {
                switch (current)
                {
                    case IAnonymousFunctionOperation lambda when previous is not null:
                        if (!cutOff)
                        {
                            AddParameters(lambda.Symbol.Parameters, captured, isStoppingToken: false);
                        }

                        cutOff |= lambda.Symbol.IsStatic;
                        captured = true;
                        break;
                    case ILocalFunctionOperation localFunction when previous is not null:
                        if (!cutOff)
                        {
                            AddParameters(localFunction.Symbol.Parameters, captured, isStoppingToken: false);
                        }

                        cutOff |= localFunction.Symbol.IsStatic;
                        captured = true;
                        break;
                    case IBlockOperation block when !cutOff && previous is not null:
                        AddLocals(block.Locals, captured);
                        break;
                    case ILoopOperation loop when !cutOff && previous is not null:
                        AddLocals(loop.Locals, captured);
                        break;
                    case IUsingOperation usingOperation when !cutOff && previous is not null && previous == usingOperation.Body:
                        AddLocals(usingOperation.Locals, captured);
                        break;
                    case ISwitchOperation switchOperation when !cutOff && previous is not null:
                        AddLocals(switchOperation.Locals, captured);
                        break;
                }
            }

            var member = containingSymbol;
            while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
            {
                member = member.ContainingSymbol;
            }

            if (member is IMethodSymbol method && !cutOff)
            {
                AddParameters(method.Parameters, captured, IsExecuteAsyncOverride(method, _types));
            }

            if (member?.ContainingType is { } type)
            {
                AddMembers(type, staticOnly: member.IsStatic || cutOff);
            }
        }

        public ImmutableArray<TokenInScope> ToImmutable()
        {
            var count = (_parameters?.Count ?? 0) + (_locals?.Count ?? 0) + (_members?.Count ?? 0);
            if (count == 0)
            {
                return ImmutableArray<TokenInScope>.Empty;
            }

            var builder = ImmutableArray.CreateBuilder<TokenInScope>(count);
            if (_parameters is not null)
            {
                builder.AddRange(_parameters);
            }

            if (_locals is not null)
            {
                builder.AddRange(_locals);
            }

            if (_members is not null)
            {
                builder.AddRange(_members);
            }

            return builder.MoveToImmutable();
        }

        private void AddParameters(ImmutableArray<IParameterSymbol> parameters, bool captured, bool isStoppingToken)
        {
            foreach (var parameter in parameters)
            {
                if (parameter.RefKind == RefKind.Out || !TryClassify(parameter.Type, out var isSource))
                {
                    continue;
                }

                (_parameters ??= ImmutableArray.CreateBuilder<TokenInScope>()).Add(new TokenInScope(
                    parameter,
                    TokenOrigin.Parameter,
                    isSource,
                    captured,
                    isStoppingToken && !isSource,
                    isSource && parameter.Type.NullableAnnotation == NullableAnnotation.Annotated,
                    Identifier(parameter.Name)));
            }
        }

        private void AddLocals(ImmutableArray<ILocalSymbol> locals, bool captured)
        {
            // Later declarations are nearer to the point of use: walk backwards.
            for (var i = locals.Length - 1; i >= 0; i--)
            {
                var local = locals[i];
                if (!TryClassify(local.Type, out var isSource) || !IsDefinitelyAssignedBefore(local))
                {
                    continue;
                }

                (_locals ??= ImmutableArray.CreateBuilder<TokenInScope>()).Add(new TokenInScope(
                    local, TokenOrigin.Local, isSource, captured, isStoppingToken: false, mayBeNull: false, Identifier(local.Name)));
            }
        }

        private bool IsDefinitelyAssignedBefore(ILocalSymbol local)
        {
            var references = local.DeclaringSyntaxReferences;
            if (references.Length == 0)
            {
                return false;
            }

            var syntax = references[0].GetSyntax();
            return syntax switch
            {
                VariableDeclaratorSyntax declarator =>
                    declarator.Initializer is not null && declarator.SpanStart < _position && !declarator.Span.Contains(_position),
                ForEachStatementSyntax forEach => forEach.Statement.Span.Contains(_position),
                _ => false,
            };
        }

        private void AddMembers(INamedTypeSymbol type, bool staticOnly)
        {
            MemberAccessText? accessText = null;
            foreach (var candidate in TypeTokenMembers.Get(type, _types))
            {
                if (staticOnly && !candidate.Member.IsStatic)
                {
                    continue;
                }

                accessText ??= new MemberAccessText(_model, _position);
                (_members ??= ImmutableArray.CreateBuilder<TokenInScope>()).Add(TokenInScope.ForMember(candidate, type, accessText));
            }
        }

        private bool TryClassify(ITypeSymbol type, out bool isSource)
        {
            if (IsToken(type, _types))
            {
                isSource = false;
                return true;
            }

            isSource = IsSource(type, _types);
            return isSource;
        }
    }
}

/// <summary>
/// How a field or property is written at one point of the code: <c>_cts</c>, or <c>this._cts</c> / <c>Type._cts</c>
/// when a local or parameter of the same name hides it.
/// </summary>
internal sealed class MemberAccessText
{
    private readonly SemanticModel? _model;
    private readonly int _position;

    public MemberAccessText(SemanticModel? model, int position)
    {
        _model = model;
        _position = position;
    }

    public string For(ISymbol member, INamedTypeSymbol containingType)
    {
        var name = TokenScope.Identifier(member.Name);
        if (_model is null)
        {
            return name;
        }

        var visible = _model.LookupSymbols(_position, name: member.Name);
        if (visible.Length == 0 || SymbolEqualityComparer.Default.Equals(visible[0], member))
        {
            return name;
        }

        return member.IsStatic
            ? containingType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "." + name
            : "this." + name;
    }
}
