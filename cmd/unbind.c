// SPDX-License-Identifier: GPL-2.0
/*
 * tsmctl unbind --vdevice ID: IOMMU_VDEVICE_TSM_OP type UNBIND. The option
 * table and the flow are bind.c's; the kernel's unbind always succeeds
 * once the vdevice is found (pci_tsm_unbind is void).
 */
#include "tsmctl.h"
#include "uapi.h"

int cmd_unbind(struct tsmctl_ctx *ctx, int argc, char **argv)
{
	return tsm_op_command(ctx, argc, argv, TSM_OP_UNBIND);
}
