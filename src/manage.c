/* manage: a node's manage block, made on first use and freed with the node (manage.h). */
#include "manage.h"

#include <stdlib.h>

struct r1_manage *model_node_manage(struct r1_node *n)
{
    if (!n->mng)
        n->mng = xcalloc(1, sizeof(*n->mng));
    return n->mng;
}

void manage_free(struct r1_manage *m)
{
    if (!m)
        return;
    free(m->run.out.data);
    allowed_free(&m->allowed);
    free(m->apps);
    logbuf_clear(&m->logs);
    logbuf_clear(&m->file_log);
    free(m);
}
