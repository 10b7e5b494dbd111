using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The longest a timeout argument can be, in milliseconds, when it is not a constant but capped by one:
/// <c>Math.Min(failures * 2, 50)</c> (at most 50), <c>Math.Clamp(backoff, 10, 80)</c> (at most 80), and either inside
/// a <c>TimeSpan</c> factory (<c>TimeSpan.FromMilliseconds(Math.Min(d, 50))</c>). A constant is its own bound. Found on
/// TickerQ's idle backoff (fresh set 5). Also a readonly field only its initializer sets (<see cref="ReadonlyFieldBounds"/>)
/// and a variable an enclosing <c>if</c> compares with a constant (<see cref="GuardBounds"/>). The lower end is not known (a cap says nothing about a negative value), so
/// this is only for "short enough", never for "finite".
/// </summary>
public static class WaitBounds
{
    public static long? UpperMilliseconds(IOperation value) => UpperMilliseconds(value, followFields: true);

    private static long? UpperMilliseconds(IOperation value, bool followFields)
    {
        if (BlockingApis.ConstantMilliseconds(value) is { } constant)
        {
            return constant;
        }

        // A readonly field only its initializer sets, read once (not through another such field).
        if (followFields && ReadonlyFieldBounds.Initializer(value) is { } initializer)
        {
            return UpperMilliseconds(initializer, followFields: false);
        }

        value = OperationUnwrapping.WithoutConversions(value);
        // .NET 9's `FromMilliseconds(long, long microseconds = 0)` has a second, defaulted argument.
        if (value is IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.Name: "TimeSpan" } factory, Arguments: { Length: 1 or 2 } arguments } call
            && (arguments.Length == 1 || arguments[1].ArgumentKind == ArgumentKind.DefaultValue))
        {
            var factor = factory.Name switch
            {
                "FromMilliseconds" => 1d,
                "FromSeconds" => 1000d,
                "FromMinutes" => 60_000d,
                _ => double.NaN,
            };
            return !double.IsNaN(factor) && UpperNumber(call.Arguments[0].Value) is { } amount ? ToMilliseconds(amount * factor) : null;
        }

        return UpperNumber(value) is { } ms ? ToMilliseconds(ms) : null;
    }

    private static long? ToMilliseconds(double value) =>
        value > long.MaxValue || value < long.MinValue || double.IsNaN(value) ? null : (long)value;

    /// <summary>A numeric constant, or the cap of <c>Math.Min</c> / <c>Math.Clamp</c> over such values.</summary>
    private static double? UpperNumber(IOperation value) => UpperNumber(value, followParameters: true);

    private static double? UpperNumber(IOperation value, bool followParameters)
    {
        value = OperationUnwrapping.WithoutConversions(value);
        if (followParameters && value is IParameterReferenceOperation parameter
            && ParameterBounds.Upper(parameter, argument => UpperNumber(argument, followParameters: false)) is { } given)
        {
            return given;
        }

        if (value is ILocalReferenceOperation or IParameterReferenceOperation)
        {
            return GuardBounds.Upper(value);
        }

        if (value.ConstantValue is { HasValue: true, Value: { } constant })
        {
            return constant switch
            {
                int i => i,
                long l => l,
                double d => d,
                float f => f,
                _ => null,
            };
        }

        if (value is not IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType: { Name: "Math", ContainingNamespace.Name: "System" } } method } call)
        {
            return null;
        }

        switch (method.Name)
        {
            case "Min" when call.Arguments.Length == 2:
                var first = UpperNumber(call.Arguments[0].Value, followParameters);
                var second = UpperNumber(call.Arguments[1].Value, followParameters);
                return first is { } a && second is { } b ? Math.Min(a, b) : first ?? second;
            case "Clamp" when call.Arguments.Length == 3:
                return UpperNumber(call.Arguments[2].Value, followParameters);
            default:
                return null;
        }
    }
}
