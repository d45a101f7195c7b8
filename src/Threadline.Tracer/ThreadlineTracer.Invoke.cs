using System.Diagnostics;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Invocation;

namespace Threadline.Tracer;

public sealed partial class ThreadlineTracer
{
    /// <summary>Runs an async handler as one traced invocation. The handler's result and exception pass through unchanged.</summary>
    public async Task<TResult> InvokeAsync<TEvent, TContext, TResult>(TEvent input, TContext context, Func<TEvent, TContext, Task<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var scope = Begin(ref input, context);
        if (scope is null)
            return await handler(input, context).ConfigureAwait(false);
        try
        {
            var result = await handler(input, context).ConfigureAwait(false);
            RecordResult(scope, ref result);
            return result;
        }
        catch (Exception ex) when (Guard.Observe("error", () => scope.SetError(ex)))
        {
            throw;
        }
        finally
        {
            End(scope);
        }
    }

    /// <summary>Runs an async handler without a result as one traced invocation.</summary>
    public Task InvokeAsync<TEvent, TContext>(TEvent input, TContext context, Func<TEvent, TContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return InvokeAsync<TEvent, TContext, NoResult>(input, context, async (e, c) =>
        {
            await handler(e, c).ConfigureAwait(false);
            return NoResult.Value;
        });
    }

    /// <summary>Runs a synchronous handler as one traced invocation.</summary>
    public TResult Invoke<TEvent, TContext, TResult>(TEvent input, TContext context, Func<TEvent, TContext, TResult> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var previousActivity = Activity.Current;
        var previousScope = InvocationScope.Current;
        var scope = Begin(ref input, context);
        if (scope is null)
            return handler(input, context);
        try
        {
            var result = handler(input, context);
            RecordResult(scope, ref result);
            return result;
        }
        catch (Exception ex) when (Guard.Observe("error", () => scope.SetError(ex)))
        {
            throw;
        }
        finally
        {
            End(scope);
            InvocationScope.SetCurrent(previousScope);
            Activity.Current = previousActivity;
        }
    }

    /// <summary>Runs a synchronous handler without a result as one traced invocation.</summary>
    public void Invoke<TEvent, TContext>(TEvent input, TContext context, Action<TEvent, TContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Invoke<TEvent, TContext, NoResult>(input, context, (e, c) =>
        {
            handler(e, c);
            return NoResult.Value;
        });
    }

    /// <summary>The handler, traced: register the returned delegate as the function's handler.</summary>
    public Func<TEvent, TContext, Task<TResult>> Wrap<TEvent, TContext, TResult>(Func<TEvent, TContext, Task<TResult>> handler) =>
        (input, context) => InvokeAsync(input, context, handler);

    /// <summary>The handler without a result, traced.</summary>
    public Func<TEvent, TContext, Task> Wrap<TEvent, TContext>(Func<TEvent, TContext, Task> handler) =>
        (input, context) => InvokeAsync(input, context, handler);

    /// <summary>The synchronous handler, traced.</summary>
    public Func<TEvent, TContext, TResult> WrapSync<TEvent, TContext, TResult>(Func<TEvent, TContext, TResult> handler) =>
        (input, context) => Invoke(input, context, handler);

    /// <summary>The synchronous handler without a result, traced.</summary>
    public Action<TEvent, TContext> WrapSync<TEvent, TContext>(Action<TEvent, TContext> handler) =>
        (input, context) => Invoke(input, context, handler);

    /// <summary>Stands for "no return value"; never recorded as a response.</summary>
    private sealed class NoResult
    {
        public static readonly NoResult Value = new();
    }
}
