namespace Kobbopay.Cli.Reconcile;

/// <summary>One record of a CSV file: where it starts and its fields, unquoted.</summary>
/// <param name="Line">The line the record starts on, from 1.</param>
/// <param name="Offset">The byte offset in the file the record starts at.</param>
/// <param name="Fields">The fields, unquoted.</param>
internal sealed record CsvRecord(long Line, long Offset, IReadOnlyList<string> Fields);
