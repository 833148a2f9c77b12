using Azure.Messaging.ServiceBus;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Messaging;

/// <summary><see cref="SessionMessageContext"/> over the Service Bus session processor's event args.</summary>
public sealed class ServiceBusSessionMessageContext : SessionMessageContext
{
    private readonly ProcessSessionMessageEventArgs _args;

    public ServiceBusSessionMessageContext(ProcessSessionMessageEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        _args = args;
    }

    public override string SessionId => _args.Message.SessionId ?? _args.SessionId;

    public override string MessageId => _args.Message.MessageId;

    public override ReadOnlyMemory<byte> Body => _args.Message.Body.ToMemory();

    public override int DeliveryCount => _args.Message.DeliveryCount;

    public override DateTimeOffset EnqueuedTime => _args.Message.EnqueuedTime;

    public override string? ReplayOf => _args.Message.ApplicationProperties.TryGetValue(DeadLetterReplayer.ReplayOfProperty, out var of) ? of as string : null;

    public override Task CompleteAsync(CancellationToken cancellationToken = default) =>
        _args.CompleteMessageAsync(_args.Message, cancellationToken);

    public override Task AbandonAsync(CancellationToken cancellationToken = default) =>
        _args.AbandonMessageAsync(_args.Message, propertiesToModify: null, cancellationToken);

    public override Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken = default) =>
        _args.DeadLetterMessageAsync(_args.Message, reason, description, cancellationToken);

    public override async Task<ReadOnlyMemory<byte>?> GetSessionStateAsync(CancellationToken cancellationToken = default)
    {
        var state = await _args.GetSessionStateAsync(cancellationToken);
        return state is null ? null : state.ToMemory();
    }

    public override Task SetSessionStateAsync(ReadOnlyMemory<byte>? state, CancellationToken cancellationToken = default) =>
        _args.SetSessionStateAsync(state is { } bytes ? new BinaryData(bytes) : null, cancellationToken);

    public override Task RenewSessionLockAsync(CancellationToken cancellationToken = default) =>
        _args.RenewSessionLockAsync(cancellationToken);
}
