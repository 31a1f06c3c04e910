using Microsoft.Extensions.Options;

namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>Validates the per-setting rules of <see cref="SqliteWebhookEventStoreOptions"/>, written as data annotations on it (generated).</summary>
[OptionsValidator]
internal sealed partial class SqliteWebhookEventStoreOptionsValidator : IValidateOptions<SqliteWebhookEventStoreOptions>;
