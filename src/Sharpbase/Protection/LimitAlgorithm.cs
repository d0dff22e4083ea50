namespace Sharpbase.Protection;

/// <summary>How a rate limit counts.</summary>
internal enum LimitAlgorithm
{
    /// <summary>At most <c>limit</c> requests in any window (counted in tenths of the window).</summary>
    SlidingWindow,
    /// <summary>A bucket of <c>limit</c> tokens refilled evenly over the window.</summary>
    TokenBucket,
}
