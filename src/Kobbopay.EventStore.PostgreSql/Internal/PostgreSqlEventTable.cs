using System.Runtime.CompilerServices;
using Kobbopay.Webhooks;
using Npgsql;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// The statements a delivery runs on the events table, each on a connection of the data source: begin (one statement,
/// with a follow-up read in a rare race; several in one batch), complete (several in one batch), abandon, and purge in
/// batches. Times come from the store's
/// <see cref="TimeProvider"/>, truncated to PostgreSQL's microseconds, never from the server's clock.
/// </summary>
internal sealed class PostgreSqlEventTable(NpgsqlDataSource dataSource, PostgreSqlStatements sql, TimeProvider timeProvider)
{
    /// <summary>Reads the clock, truncated to PostgreSQL's microsecond precision so that what is returned is what is stored.</summary>
    public DateTimeOffset Now()
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
    }

    /// <summary>Begins; with a <paramref name="paymentKey"/>, a begun result also carries the payment's highest handled sequence, read by the same statement.</summary>
    public async ValueTask<WebhookBeginResult> BeginAsync(string key, TimeSpan lease, string? paymentKey, CancellationToken cancellationToken)
    {
        // A row can be seen by neither branch of the statement only when another transaction inserted it after this
        // statement's snapshot, and then lost it again (abandoned) before the follow-up read: a few attempts settle it.
        for (int attempt = 1; ; attempt++)
        {
            PostgreSqlLease taken = NewLease(lease);
            NpgsqlCommand command = dataSource.CreateCommand(paymentKey is null ? sql.Begin : sql.BeginReadingSequence);
            await using (command.ConfigureAwait(false))
            {
                AddBeginParameters(command.Parameters, key, taken, paymentKey);
                NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return Begun(reader, taken, paymentKey);
                }
            }

            WebhookBeginResult? current = await CurrentAsync(key, cancellationToken).ConfigureAwait(false);
            if (current is { } found)
            {
                return found;
            }

            if (attempt == 3)
            {
                // Each attempt saw the row come and go: treat it as held, so the gateway retries a little later.
                return new WebhookBeginResult(WebhookBeginStatus.InProgress, Guid.Empty, null);
            }
        }
    }

    /// <summary>
    /// Begins several events in one round trip and one transaction: each begin's own statement, sent in one batch, which
    /// PostgreSQL runs as one implicit transaction (committed without waiting for the WAL flush, as a lone begin is). The
    /// statements run in the order given (by key: one lock order for every batch), each with a snapshot of its own, so a
    /// key begun twice in one batch is taken by the first and found held by the second. A begin that neither took its
    /// row nor found it (the rare race <see cref="BeginAsync(string, TimeSpan, string?, CancellationToken)"/> settles with a
    /// follow-up read) is run again alone after the batch. A lone begin is the single statement.
    /// </summary>
    /// <returns>For each begin, in order, its own result.</returns>
    public async ValueTask<WebhookBeginResult[]> BeginAsync(IReadOnlyList<PostgreSqlBeginCall> begins, CancellationToken cancellationToken)
    {
        if (begins.Count == 1)
        {
            return [await BeginAsync(begins[0].Key, begins[0].Lease, begins[0].PaymentKey, cancellationToken).ConfigureAwait(false)];
        }

        WebhookBeginResult?[] results = new WebhookBeginResult?[begins.Count];
        PostgreSqlLease[] leases = new PostgreSqlLease[begins.Count];
        NpgsqlBatch batch = dataSource.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            for (int i = 0; i < begins.Count; i++)
            {
                PostgreSqlBeginCall begin = begins[i];
                leases[i] = NewLease(begin.Lease);
                NpgsqlBatchCommand command = new(begin.PaymentKey is null ? sql.Begin : sql.BeginReadingSequence);
                AddBeginParameters(command.Parameters, begin.Key, leases[i], begin.PaymentKey);
                batch.BatchCommands.Add(command);
            }

            NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                for (int i = 0; i < begins.Count; i++)
                {
                    if (i > 0)
                    {
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        results[i] = Begun(reader, leases[i], begins[i].PaymentKey);
                    }
                }
            }
        }

        WebhookBeginResult[] answers = new WebhookBeginResult[begins.Count];
        for (int i = 0; i < answers.Length; i++)
        {
            answers[i] = results[i] ?? await BeginAsync(begins[i].Key, begins[i].Lease, begins[i].PaymentKey, cancellationToken).ConfigureAwait(false);
        }

        return answers;
    }

    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken) =>
        OnLeaseAsync(sql.Complete, key, leaseId, Now().UtcDateTime, cancellationToken);

    /// <summary>
    /// Completes several events in one transaction, one commit (and WAL flush) for all: the complete statement for each,
    /// sent in one batch, which PostgreSQL runs as one implicit transaction; a failure of any rolls back all. A sequenced
    /// complete adds the raise of its payment's highest handled sequence to the batch. Every batch takes its row locks in
    /// one order, so two instances' batches never deadlock: the raises first, by payment key (then sequence), then the
    /// completes, in the order given (by key). A lone plain complete is the single statement.
    /// </summary>
    /// <returns>For each completion, in order, whether its lease completed the row.</returns>
    public async ValueTask<bool[]> CompleteAsync(IReadOnlyList<PostgreSqlCompletion> completions, CancellationToken cancellationToken)
    {
        List<PostgreSqlCompletion>? raises = null;
        foreach (PostgreSqlCompletion completion in completions)
        {
            if (completion.PaymentKey is not null)
            {
                (raises ??= []).Add(completion);
            }
        }

        if (completions.Count == 1 && raises is null)
        {
            return [await CompleteAsync(completions[0].Key, completions[0].LeaseId, cancellationToken).ConfigureAwait(false)];
        }

        DateTime now = Now().UtcDateTime;
        NpgsqlBatch batch = dataSource.CreateBatch();
        await using ConfiguredAsyncDisposable batchScope = batch.ConfigureAwait(false);
        int first = 0;
        if (raises is not null)
        {
            raises.Sort(static (a, b) => string.CompareOrdinal(a.PaymentKey, b.PaymentKey) is var byPayment and not 0 ? byPayment : a.Sequence.CompareTo(b.Sequence));
            foreach (PostgreSqlCompletion raise in raises)
            {
                batch.BatchCommands.Add(Command(sql.RaiseSequence, raise.PaymentKey!, raise.Sequence, now));
            }

            first = raises.Count;
        }

        foreach (PostgreSqlCompletion completion in completions)
        {
            batch.BatchCommands.Add(Command(sql.Complete, completion.Key, completion.LeaseId, now));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        bool[] completed = new bool[completions.Count];
        for (int i = 0; i < completed.Length; i++)
        {
            completed[i] = batch.BatchCommands[first + i].RecordsAffected == 1;
        }

        return completed;
    }

    public ValueTask<bool> AbandonAsync(string key, Guid leaseId, CancellationToken cancellationToken) =>
        OnLeaseAsync(sql.Abandon, key, leaseId, now: null, cancellationToken);

    public async ValueTask<long> ProbeAsync(CancellationToken cancellationToken)
    {
        NpgsqlCommand command = dataSource.CreateCommand(sql.Probe);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Removes records of events completed before <paramref name="completedBefore"/> in batches of short transactions; instances purging at once share the work.</summary>
    public async ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken)
    {
        int total = 0;
        while (true)
        {
            NpgsqlCommand command = dataSource.CreateCommand(sql.Purge);
            await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = completedBefore.UtcDateTime });
            int removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += removed;
            if (removed < PostgreSqlStatements.PurgeBatchSize)
            {
                return total;
            }
        }
    }

    /// <summary>Runs a statement on one key's row held by <paramref name="leaseId"/> ($1 key, $2 lease id, $3 now when given); <see langword="true"/> when it changed the row.</summary>
    private async ValueTask<bool> OnLeaseAsync(string text, string key, Guid leaseId, DateTime? now, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = dataSource.CreateCommand(text);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = leaseId });
        if (now is { } at)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = at });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static NpgsqlBatchCommand Command<T1, T2>(string text, T1 first, T2 second, DateTime now)
    {
        NpgsqlBatchCommand command = new(text);
        command.Parameters.Add(new NpgsqlParameter<T1> { TypedValue = first });
        command.Parameters.Add(new NpgsqlParameter<T2> { TypedValue = second });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
        return command;
    }

    /// <summary>A new lease from now, both truncated to PostgreSQL's microseconds.</summary>
    private PostgreSqlLease NewLease(TimeSpan lease)
    {
        DateTimeOffset now = Now();
        return new PostgreSqlLease(Guid.NewGuid(), now, now + TimeSpan.FromTicks(lease.Ticks - (lease.Ticks % 10)));
    }

    private static void AddBeginParameters(NpgsqlParameterCollection parameters, string key, PostgreSqlLease lease, string? paymentKey)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = lease.Id });
        parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = lease.ExpiresAt.UtcDateTime });
        parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = lease.Now.UtcDateTime });
        if (paymentKey is not null)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = paymentKey });
        }
    }

    /// <summary>Reads the begin statement's row: columns 1 and 2 of the second branch are lease_expires_at and completed_at; column 3 of the first, the sequence.</summary>
    private static WebhookBeginResult Begun(NpgsqlDataReader reader, PostgreSqlLease lease, string? paymentKey) =>
        reader.GetBoolean(0)
            ? new WebhookBeginResult(WebhookBeginStatus.Began, lease.Id, lease.ExpiresAt) { HandledSequence = paymentKey is null || reader.IsDBNull(3) ? null : reader.GetInt64(3) }
            : Held(reader, leaseExpiresAt: 1, completedAt: 2);

    private static WebhookBeginResult Held(NpgsqlDataReader reader, int leaseExpiresAt, int completedAt) =>
        !reader.IsDBNull(completedAt)
            ? new WebhookBeginResult(WebhookBeginStatus.Duplicate, Guid.Empty, null)
            : new WebhookBeginResult(WebhookBeginStatus.InProgress, Guid.Empty, new DateTimeOffset(reader.GetFieldValue<DateTime>(leaseExpiresAt), TimeSpan.Zero));

    private async ValueTask<WebhookBeginResult?> CurrentAsync(string key, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = dataSource.CreateCommand(sql.Current);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? Held(reader, leaseExpiresAt: 0, completedAt: 1)
            : null;
    }
}
