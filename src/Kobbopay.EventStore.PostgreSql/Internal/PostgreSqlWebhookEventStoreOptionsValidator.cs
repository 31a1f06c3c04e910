using Microsoft.Extensions.Options;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>Validates the per-setting rules of <see cref="PostgreSqlWebhookEventStoreOptions"/>, written as data annotations on it (generated).</summary>
[OptionsValidator]
internal sealed partial class PostgreSqlWebhookEventStoreOptionsValidator : IValidateOptions<PostgreSqlWebhookEventStoreOptions>;
