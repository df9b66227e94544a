package org

import "github.com/clusterobservatory/observatory/internal/refdata"

// fillNames sets the names an organisation read without them shows, from
// the reference names kept in memory (see orgListSelect).
func fillNames(n *refdata.Names, o *Organisation) {
	o.CountryName = n.Countries[o.Country]
	if o.AreaID != nil {
		o.AreaName = n.Areas[*o.AreaID]
	}
	if o.ISIC != "" {
		o.ISICTitle = n.ISIC[o.ISIC]
	}
}
