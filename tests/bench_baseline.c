/* bench_baseline: the resident-memory floor of any program built on this machine's libcurl —
 * it links and initialises libcurl (as r1top must) and does nothing else, so `make bench` can
 * tell r1top's own memory from what its mandated libraries cost by being loaded. */
#include <curl/curl.h>
#include <unistd.h>

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *e = curl_easy_init();
    pause();
    curl_easy_cleanup(e);
    return 0;
}
