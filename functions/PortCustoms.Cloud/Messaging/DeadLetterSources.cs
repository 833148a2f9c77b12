using Azure.Messaging.ServiceBus;
using PortCustoms.Core.Events;

namespace PortCustoms.Cloud.Messaging;

/// <summary>
/// The dead-letter sub-queue of the session-enabled status-event queue (<see cref="SubQueue.DeadLetter"/>). The
/// sub-queue itself is not session-enabled: a plain peek-lock receiver reads it. Listing peeks (locks nothing); a
/// replay is sent with the queue's sender in the letter's session; removal receives under lock, completes the one
/// letter and gives every other received letter straight back.
/// </summary>
public sealed class ServiceBusDeadLetters : DeadLetterSource
{
    private const int PageSize = 250;
    private readonly ServiceBusReceiver _deadLetters;
    private readonly ServiceBusSender _sender;
    private readonly TimeSpan _receiveWait;

    /// <param name="deadLetters">A peek-lock receiver on the queue's dead-letter sub-queue.</param>
    /// <param name="sender">The live queue's sender.</param>
    /// <param name="receiveWait">How long a receive waits for more letters before the search for one gives up.</param>
    public ServiceBusDeadLetters(ServiceBusReceiver deadLetters, ServiceBusSender sender, TimeSpan? receiveWait = null)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        ArgumentNullException.ThrowIfNull(sender);
        _deadLetters = deadLetters;
        _sender = sender;
        _receiveWait = receiveWait ?? TimeSpan.FromSeconds(5);
    }

    public static ServiceBusDeadLetters Create(ServiceBusClient client, string queueName)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new ServiceBusDeadLetters(
            client.CreateReceiver(queueName, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock }),
            client.CreateSender(queueName));
    }

    public override string Name => $"Service Bus {_deadLetters.EntityPath}";

    public override async Task<IReadOnlyList<DeadLetteredMessage>> ListAsync(string? sessionId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        List<DeadLetteredMessage> letters = [];
        long from = 0;
        while (letters.Count < max)
        {
            var page = await _deadLetters.PeekMessagesAsync(PageSize, from, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }
            foreach (var message in page)
            {
                from = Math.Max(from, message.SequenceNumber + 1);
                if ((sessionId is null || message.SessionId == sessionId) && letters.Count < max)
                {
                    letters.Add(ToLetter(message));
                }
            }
        }
        return letters;
    }

    public override Task SendAsync(DeadLetteredMessage letter, string messageId, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(properties);
        var message = new ServiceBusMessage(letter.Body)
        {
            MessageId = messageId,
            SessionId = letter.SessionId,
            ContentType = "application/json",
        };
        foreach (var (key, value) in properties)
        {
            message.ApplicationProperties[key] = value;
        }
        return _sender.SendMessageAsync(message, cancellationToken);
    }

    public override async Task<bool> RemoveAsync(DeadLetteredMessage letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        List<ServiceBusReceivedMessage> held = [];
        try
        {
            // Replays go oldest first, so the letter is nearly always at the front; the search is bounded all the same.
            while (held.Count < DeadLetterReplayer.ScanLimit)
            {
                var received = await _deadLetters.ReceiveMessagesAsync(PageSize, _receiveWait, cancellationToken).ConfigureAwait(false);
                if (received.Count == 0)
                {
                    return false;
                }
                var found = false;
                foreach (var message in received)
                {
                    if (!found && message.SequenceNumber == letter.SequenceNumber && message.MessageId == letter.MessageId)
                    {
                        await _deadLetters.CompleteMessageAsync(message, cancellationToken).ConfigureAwait(false);
                        found = true;
                    }
                    else
                    {
                        held.Add(message);
                    }
                }
                if (found)
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            foreach (var message in held)
            {
                try
                {
                    await _deadLetters.AbandonMessageAsync(message, null, CancellationToken.None).ConfigureAwait(false);
                }
                catch (ServiceBusException)
                {
                    // Its lock expires by itself; it stays a dead letter either way.
                }
            }
        }
    }

    private static DeadLetteredMessage ToLetter(ServiceBusReceivedMessage message) => new(
        message.SessionId ?? string.Empty,
        message.MessageId,
        message.SequenceNumber,
        message.Body.ToMemory(),
        message.DeadLetterReason,
        message.DeadLetterErrorDescription,
        message.DeliveryCount,
        message.EnqueuedTime);
}

/// <summary>The dead letters of LocalHost's durable queue (<see cref="TableSessionQueue"/>).</summary>
public sealed class TableSessionQueueDeadLetters(TableSessionQueue queue) : DeadLetterSource
{
    private readonly TableSessionQueue _queue = queue ?? throw new ArgumentNullException(nameof(queue));

    public override string Name => $"LocalHost's queue (table {_queue.Table.Name})";

    public override async Task<IReadOnlyList<DeadLetteredMessage>> ListAsync(string? sessionId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var letters = sessionId is null
            ? await _queue.GetDeadLettersAsync(cancellationToken).ConfigureAwait(false)
            : await _queue.GetDeadLettersAsync(sessionId, cancellationToken).ConfigureAwait(false);
        // Sessions in key order, each in the order its letters were dead-lettered (their sequence).
        return letters
            .OrderBy(l => l.SessionId, StringComparer.Ordinal).ThenBy(l => l.Sequence)
            .Take(max)
            .Select(l => new DeadLetteredMessage(l.SessionId, l.MessageId ?? string.Empty, l.Sequence, l.Body?.ToMemory() ?? ReadOnlyMemory<byte>.Empty, l.Reason, l.Description, l.DeliveryCount, l.EnqueuedTime))
            .ToList();
    }

    public override Task SendAsync(DeadLetteredMessage letter, string messageId, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        // A false return is a duplicate dropped by detection: the first send of this replay id did happen.
        return _queue.SendAsync(letter.SessionId, messageId, letter.Body, properties, cancellationToken);
    }

    public override Task<bool> RemoveAsync(DeadLetteredMessage letter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return _queue.RemoveDeadLetterAsync(letter.SessionId, letter.SequenceNumber, cancellationToken);
    }
}
