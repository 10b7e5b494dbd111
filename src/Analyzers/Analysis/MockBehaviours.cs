using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// A lambda that is a mock's behaviour: handed to a mocking library's setup (<c>mock.Setup(r =&gt; r.Load()).Returns(()
/// =&gt; { Thread.Sleep(50); ... })</c> in Moq, <c>consumer.StopAsync().Returns(_ =&gt; ...)</c> or <c>.Do(call =&gt; ...)</c> in
/// NSubstitute, <c>A.CallTo(...).ReturnsLazily(...)</c> / <c>.Invokes(...)</c> in FakeItEasy). It runs when the code under
/// test calls the mock, and its pauses simulate the dependency's latency; a token of the test it captures is not the
/// mocked call's (Papercut-SMTP's and silverback's tests, fresh sets 5 and 7). The library is recognised by the called
/// method's namespace, or, when the library is not referenced and the call does not bind, by the setup verb and a
/// <c>using</c> of the library's namespace in the file.
/// </summary>
internal static class MockBehaviours
{
    public static bool IsMockBehaviour(IAnonymousFunctionOperation lambda)
    {
        IOperation node = lambda;
        while (node.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            node = node.Parent;
        }

        if (node.Parent is IArgumentOperation { Parent: IInvocationOperation call })
        {
            return IsMockingNamespace(SystemNamespaces.RootName(call.TargetMethod.ContainingNamespace));
        }

        // Unbound: the lambda is a child of the invalid call, as written.
        return node.Parent is IInvalidOperation
            && lambda.Syntax.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }
            && invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var verb }
            && IsBehaviourVerb(verb)
            && ImportsMockingLibrary(invocation.SyntaxTree.GetRoot());
    }

    private static bool IsBehaviourVerb(string name) =>
        name is "Returns" or "ReturnsAsync" or "Callback" or "Do" or "AndDoes" or "Invokes" or "ReturnsLazily";

    private static bool IsMockingNamespace(string? name) => name is "Moq" or "NSubstitute" or "FakeItEasy";

    private static bool ImportsMockingLibrary(SyntaxNode root)
    {
        if (root is not CompilationUnitSyntax unit)
        {
            return false;
        }

        foreach (var directive in unit.Usings)
        {
            if (IsMockingNamespace(FirstName(directive.Name)))
            {
                return true;
            }
        }

        foreach (var member in unit.Members)
        {
            if (member is BaseNamespaceDeclarationSyntax declaration)
            {
                foreach (var directive in declaration.Usings)
                {
                    if (IsMockingNamespace(FirstName(directive.Name)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static string? FirstName(NameSyntax? name)
    {
        while (name is QualifiedNameSyntax qualified)
        {
            name = qualified.Left;
        }

        return (name as IdentifierNameSyntax)?.Identifier.ValueText;
    }
}
