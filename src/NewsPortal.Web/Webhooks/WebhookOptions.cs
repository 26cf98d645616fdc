using System.ComponentModel.DataAnnotations;

namespace NewsPortal.Web.Webhooks;

/// <summary>How webhook deliveries are sent and retried, bound from the "Webhooks" section of configuration.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Internal networks webhooks may go to after all, in CIDR form (such as 10.1.2.0/24 or 127.0.0.1/32), for a
    /// receiver deliberately inside. Every other loopback, private, link-local or reserved address is refused.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>
    /// Whether the background loop sends. Off, deliveries still queue up and <see cref="WebhookSender.SendDueAsync"/> still
    /// works when called; the tests turn the loop off so that they alone decide when a pass runs.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between looks for deliveries that are due.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 2;

    /// <summary>Seconds a subscriber has to answer one POST before the attempt counts as failed.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Attempts (the first included) before a delivery is given up as Failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failed attempt; each further failure doubles it.</summary>
    [Range(1, 86_400)]
    public int RetryBaseDelaySeconds { get; set; } = 10;

    /// <summary>The longest wait between two attempts, however many failed.</summary>
    [Range(1, 86_400)]
    public int RetryMaxDelaySeconds { get; set; } = 3600;

    /// <summary>
    /// Days a delivery is kept (for the admin's counts and the recent list) before it is deleted, whatever its state:
    /// every published story adds one per subscriber, for as long as the site runs.
    /// </summary>
    [Range(1, 3650)]
    public int KeepDays { get; set; } = 30;

    /// <summary>Deliveries taken per pass; the rest wait for the next one.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Adds the networks given as one value separated by commas (<c>Webhooks__AllowedNetworks=10.1.2.0/24,10.9.0.0/16</c>),
    /// as Proxy:KnownProxies takes its addresses: binding reads a list only from numbered entries, and would pass
    /// over such a value without a word.
    /// </summary>
    public void AddListedNetworks(IConfiguration configuration)
        => AllowedNetworks = [.. AllowedNetworks, .. Shared.Setting.List(configuration, $"{SectionName}:{nameof(AllowedNetworks)}")];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        => AllowedNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => new ValidationResult($"Webhooks:AllowedNetworks: '{n}' is not a network such as 10.1.2.0/24.", [nameof(AllowedNetworks)]));

    /// <summary>The wait before attempt <paramref name="failedAttempts"/> + 1: base × 2^(failed − 1), capped.</summary>
    public TimeSpan RetryDelay(int failedAttempts)
    {
        var seconds = RetryBaseDelaySeconds * Math.Pow(2, Math.Max(0, failedAttempts - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, RetryMaxDelaySeconds));
    }
}
