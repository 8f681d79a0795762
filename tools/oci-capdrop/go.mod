module netproof.local/oci-capdrop

go 1.22
