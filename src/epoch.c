/* epoch: epoch number, start/end and progress for a network (epoch.h, docs/protocol.md §1.2).
 * Pure arithmetic over the network's genesis and epoch length; the caller supplies the time.
 * Called by the oracle source (to sanity-check the oracle's epoch), rewards and the panes. */
#include "epoch.h"

#include <math.h>

int64_t epoch_at(const struct r1_network *net, double t_unix)
{
    double q = (t_unix - (double)net->genesis_unix) / (double)net->epoch_len_s;
    if (isnan(q) || q <= -9.2e18)
        return INT64_MIN;
    if (q >= 9.2e18)
        return INT64_MAX;
    /* floor, not C's truncation toward zero: one second before genesis is epoch -1, not 0.
     * (Done by hand so the library needs no libm.) */
    int64_t e = (int64_t)q;
    if ((double)e > q)
        e--;
    return e;
}

double epoch_start(const struct r1_network *net, int64_t epoch)
{
    return (double)net->genesis_unix + (double)epoch * (double)net->epoch_len_s;
}

double epoch_end(const struct r1_network *net, int64_t epoch)
{
    return epoch_start(net, epoch + 1);
}

double epoch_remaining_s(const struct r1_network *net, double t_unix)
{
    return epoch_end(net, epoch_at(net, t_unix)) - t_unix;
}

double epoch_elapsed_frac(const struct r1_network *net, double t_unix)
{
    double f = (t_unix - epoch_start(net, epoch_at(net, t_unix))) / (double)net->epoch_len_s;
    /* rounding near a boundary must not leave 0..1 */
    if (!(f >= 0))
        return 0;
    return f < 1 ? f : 1;
}
