using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>Turns a scenario file into a <see cref="Scenario"/>, with errors that name the file, the line, the step and the field.</summary>
internal static partial class ScenarioParser
{
    /// <summary>The fields each step kind takes, the required ones first; the order is the one the error messages list.</summary>
    private static readonly Dictionary<string, (string[] Required, string[] Optional)> Kinds = new(StringComparer.Ordinal)
    {
        ["create"] = (["as", "amount", "currency", "network", "orderId"], ["expiresInSeconds"]),
        ["pay"] = (["payment"], ["amount"]),
        ["payPart"] = (["payment", "amount"], []),
        ["advanceClock"] = (["seconds"], []),
        ["confirm"] = (["payment"], []),
        ["expire"] = (["payment"], []),
        ["expectStatus"] = (["payment", "status"], ["amountReceived"]),
        ["expectDelivery"] = (["payment", "event", "endpoint", "status"], []),
    };

    /// <summary>Gets the step kinds, in the order the documentation lists them.</summary>
    public static IEnumerable<string> KindNames => Kinds.Keys;

    public static Scenario Parse(string json, string source)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        List<int> stepLines = StepLines(bytes, source);
        ScenarioFileDto? file;
        try
        {
            file = JsonSerializer.Deserialize(bytes, ScenarioJsonContext.Default.ScenarioFileDto);
        }
        catch (JsonException ex)
        {
            throw Explain(ex, source, stepLines);
        }

        if (file is null)
        {
            throw new ScenarioFormatException(source, $"{source}: the file holds null, not a scenario object.");
        }

        if (file.Steps is not { Count: > 0 })
        {
            throw new ScenarioFormatException(source, $"{source}: steps: a scenario needs at least one step.", field: "steps");
        }

        Dictionary<string, ScenarioEndpoint> endpoints = new(StringComparer.Ordinal);
        foreach ((string name, ScenarioEndpointDto? dto) in file.Endpoints ?? [])
        {
            endpoints[name] = Endpoint(name, dto, source);
        }

        HashSet<string> payments = new(StringComparer.Ordinal);
        List<ScenarioStep> steps = [];
        for (int i = 0; i < file.Steps.Count; i++)
        {
            StepReader reader = new(source, i + 1, i < stepLines.Count ? stepLines[i] : 0, file.Steps[i]);
            steps.Add(reader.Read(payments, endpoints));
        }

        return new Scenario
        {
            Name = string.IsNullOrWhiteSpace(file.Name) ? Path.GetFileNameWithoutExtension(source.Replace("shipped:", string.Empty, StringComparison.Ordinal)) : file.Name,
            Description = file.Description,
            Source = source,
            Endpoints = endpoints,
            Steps = steps,
        };
    }

    private static ScenarioEndpoint Endpoint(string name, ScenarioEndpointDto? dto, string source)
    {
        string where = $"{source}: endpoints.{name}";
        if (dto is null || (dto.Url is null) == (dto.Respond is null))
        {
            throw new ScenarioFormatException(source, $"{where}: give exactly one of url (an endpoint to register) and respond (the HTTP status a built-in receiver answers).", field: "endpoints." + name);
        }

        if (dto.Url is not null)
        {
            if (!Uri.TryCreate(dto.Url, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new ScenarioFormatException(source, $"{where}.url: '{dto.Url}' is not an absolute http or https address.", field: $"endpoints.{name}.url");
            }

            return new ScenarioEndpoint { Url = url };
        }

        return dto.Respond is >= 100 and <= 599
            ? new ScenarioEndpoint { Respond = dto.Respond }
            : throw new ScenarioFormatException(source, $"{where}.respond: {dto.Respond} is not an HTTP status (100 to 599).", field: $"endpoints.{name}.respond");
    }

    /// <summary>The line (from 1) each step object starts on; the reader's own error, for text that is not JSON at all.</summary>
    private static List<int> StepLines(byte[] bytes, string source)
    {
        List<int> lines = [];
        Utf8JsonReader reader = new(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        bool inSteps = false;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    inSteps = reader.ValueTextEquals("steps"u8);
                }
                else if (inSteps && reader.CurrentDepth == 2 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.Null or JsonTokenType.String or JsonTokenType.Number or JsonTokenType.StartArray or JsonTokenType.True or JsonTokenType.False)
                {
                    lines.Add(LineAt(bytes, (int)reader.TokenStartIndex));
                }
            }
        }
        catch (JsonException ex)
        {
            throw new ScenarioFormatException(source, $"{source}:{ex.LineNumber + 1}: not valid JSON: {ex.Message}", ex, line: (int?)(ex.LineNumber + 1));
        }

        return lines;
    }

    private static int LineAt(byte[] bytes, int index) => 1 + bytes.AsSpan(0, index).Count((byte)'\n');

    /// <summary>Rewrites the serializer's error to name the step and the field (<c>$.steps[2].amount</c> is step 3, field amount).</summary>
    private static ScenarioFormatException Explain(JsonException ex, string source, List<int> stepLines)
    {
        int line = (int)(ex.LineNumber ?? 0) + 1;
        Match unknown = UnknownProperty().Match(ex.Message);
        Match path = StepPath().Match(ex.Path ?? string.Empty);
        string? field = unknown.Success ? unknown.Groups[1].Value : path.Success && path.Groups[2].Success ? path.Groups[2].Value : TopField().Match(ex.Path ?? string.Empty) is { Success: true } top ? top.Groups[1].Value : null;
        int? step = path.Success ? int.Parse(path.Groups[1].Value, CultureInfo.InvariantCulture) + 1 : null;
        if (step is { } n && n <= stepLines.Count && !ex.LineNumber.HasValue)
        {
            line = stepLines[n - 1];
        }

        string where = step is null ? $"{source}:{line}" : $"{source}:{line}: step {step}";
        string what = unknown.Success
            ? $"unknown field '{field}'" + (step is null ? "; a scenario takes name, description, endpoints, steps" : "; each step takes step and the fields of its kind (docs/simulator.md, Scenarios)")
            : field is null ? $"not a valid scenario: {ex.Message}" : $"{field}: {Expected(field)}";
        return new ScenarioFormatException(source, $"{where}: {what}", ex, step, field, line);
    }

    private static string Expected(string field) => field switch
    {
        "amount" or "amountReceived" => "must be a decimal string such as \"10.00\" (money is never a JSON number)",
        "expiresInSeconds" or "respond" => "must be a whole number",
        "seconds" => "must be a number",
        "steps" => "must be an array of step objects",
        "endpoints" => "must be an object of endpoints by name",
        "status" => "must be a payment status string (expectStatus) or an HTTP status number (expectDelivery)",
        _ => "must be a string",
    };

    [GeneratedRegex(@"The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"^\$\.steps\[(\d+)\](?:\.([A-Za-z$]+))?")]
    private static partial Regex StepPath();

    [GeneratedRegex(@"^\$\.([A-Za-z$]+)")]
    private static partial Regex TopField();

    /// <summary>Reads one step, checking its kind, its fields and its references to payments and endpoints.</summary>
    private readonly struct StepReader(string source, int number, int line, ScenarioStepDto? dto)
    {
        public ScenarioStep Read(HashSet<string> payments, Dictionary<string, ScenarioEndpoint> endpoints)
        {
            if (dto is null)
            {
                throw Fail(null, "a step must be an object with a step field naming its kind");
            }

            string kind = dto.Step ?? throw Fail("step", $"step: required; one of {string.Join(", ", Kinds.Keys)}");
            if (!Kinds.TryGetValue(kind, out (string[] Required, string[] Optional) fields))
            {
                throw Fail("step", $"unknown step kind '{kind}'; the kinds are {string.Join(", ", Kinds.Keys)}");
            }

            string takes = string.Join(", ", fields.Required.Concat(fields.Optional));
            foreach (string present in dto.Present())
            {
                if (!fields.Required.Contains(present) && !fields.Optional.Contains(present))
                {
                    throw Fail(present, $"({kind}): field '{present}' does not apply to {kind}, which takes {takes}");
                }
            }

            foreach (string required in fields.Required)
            {
                if (!dto.Present().Contains(required))
                {
                    throw Fail(required, $"({kind}): {required} is required; {kind} takes {takes}");
                }
            }

            if (dto.Payment is { } payment && !payments.Contains(payment))
            {
                throw Fail("payment", $"({kind}): payment '{payment}' is not created by an earlier step (create with \"as\": \"{payment}\")");
            }

            ScenarioStep step = kind switch
            {
                "create" => Create(payments),
                "pay" => new PayStep { Payment = dto.Payment!, Amount = dto.Amount is null ? null : Money("amount", dto.Amount), Line = line },
                "payPart" => new PayPartStep { Payment = dto.Payment!, Amount = Money("amount", dto.Amount!), Line = line },
                "advanceClock" => new AdvanceClockStep
                {
                    Seconds = dto.Seconds is >= 0 and <= 315_360_000 ? dto.Seconds.Value : throw Fail("seconds", "(advanceClock): seconds must be a number from 0 to 315360000"),
                    Line = line,
                },
                "confirm" => new ConfirmStep { Payment = dto.Payment!, Line = line },
                "expire" => new ExpireStep { Payment = dto.Payment!, Line = line },
                "expectStatus" => new ExpectStatusStep
                {
                    Payment = dto.Payment!,
                    Status = dto.Status!.Value is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 } text ? text : throw Fail("status", "(expectStatus): status must be a payment status string, such as \"confirmed\""),
                    AmountReceived = dto.AmountReceived is null ? null : Money("amountReceived", dto.AmountReceived, allowZero: true),
                    Line = line,
                },
                _ => Delivery(endpoints),
            };
            return step;
        }

        private CreatePaymentStep Create(HashSet<string> payments)
        {
            if (string.IsNullOrWhiteSpace(dto!.As) || !payments.Add(dto.As))
            {
                throw Fail("as", $"(create): as must be a name no earlier step gave; '{dto.As}' is taken or empty");
            }

            if (dto.ExpiresInSeconds is <= 0)
            {
                throw Fail("expiresInSeconds", "(create): expiresInSeconds must be a whole number of seconds above 0");
            }

            return new CreatePaymentStep
            {
                As = dto.As,
                Amount = Money("amount", dto.Amount!),
                Currency = dto.Currency!,
                Network = dto.Network!,
                OrderId = dto.OrderId!,
                ExpiresInSeconds = dto.ExpiresInSeconds,
                Line = line,
            };
        }

        private ExpectDeliveryStep Delivery(Dictionary<string, ScenarioEndpoint> endpoints)
        {
            if (!endpoints.ContainsKey(dto!.Endpoint!))
            {
                throw Fail("endpoint", $"(expectDelivery): endpoint '{dto.Endpoint}' is not declared under endpoints" + (endpoints.Count == 0 ? string.Empty : $" ({string.Join(", ", endpoints.Keys)})"));
            }

            return new ExpectDeliveryStep
            {
                Payment = dto.Payment!,
                Event = dto.Event!,
                Endpoint = dto.Endpoint!,
                Status = dto.Status!.Value is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out int status) && status is >= 100 and <= 599
                    ? status
                    : throw Fail("status", "(expectDelivery): status must be the HTTP status number the endpoint answered, such as 200"),
                Line = line,
            };
        }

        private decimal Money(string field, string text, bool allowZero = false) =>
            decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value) && (value > 0 || (allowZero && value == 0))
                ? value
                : throw Fail(field, $"({dto!.Step}): {field} must be a decimal string {(allowZero ? "of 0 or more" : "greater than zero")}, such as \"10.00\"; '{text}' is not");

        private ScenarioFormatException Fail(string? field, string what) =>
            new(source, $"{source}:{line}: step {number}{(what.StartsWith('(') ? " " : ": ")}{what}", step: number, field: field, line: line);
    }
}
