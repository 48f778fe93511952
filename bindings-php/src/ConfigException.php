<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * The verifier (or a signing call) was configured wrongly: `invalid_secret`, `unknown_scheme`
 * or `invalid_config`. A deployment mistake, not a bad request (a receiver answers 500).
 */
final class ConfigException extends HooksigException
{
}
